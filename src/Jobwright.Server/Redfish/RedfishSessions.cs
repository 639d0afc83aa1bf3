namespace Jobwright.Server.Redfish;

/// <summary>
/// The sessions of Redfish clients (<c>X-Auth-Token</c>, resources under <c>SessionService/Sessions</c>): they end
/// when deleted, after <see cref="JobwrightServerOptions.RedfishSessionIdleTimeout"/> without a request, or with the node.
/// </summary>
internal sealed class RedfishSessions(TimeProvider time, Microsoft.Extensions.Options.IOptions<JobwrightServerOptions> options)
    : Security.LogonSessions(time, options.Value.RedfishSessionIdleTimeout);
