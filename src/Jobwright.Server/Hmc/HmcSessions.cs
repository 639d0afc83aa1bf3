namespace Jobwright.Server.Hmc;

/// <summary>
/// The sessions of HMC clients (<c>X-API-Session</c>): they end at log off, after
/// <see cref="JobwrightServerOptions.HmcSessionIdleTimeout"/> without a request, or with the node. Without
/// authentication configured, any non-empty UserID and Password log on.
/// </summary>
internal sealed class HmcSessions(TimeProvider time, Microsoft.Extensions.Options.IOptions<JobwrightServerOptions> options)
    : Security.LogonSessions(time, options.Value.HmcSessionIdleTimeout);
