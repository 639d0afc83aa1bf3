namespace Jobwright.Server;

/// <summary>Settings of Jobwright's HTTP face (the JSON API, the HMC API, the dashboard).</summary>
public sealed class JobwrightServerOptions
{
    /// <summary>The default largest request body: 1 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The largest request body the APIs read (413 beyond it); at least 1024.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>The idle lifetime of an HMC API session unless set: two hours, as the HMC's own.</summary>
    public static readonly TimeSpan DefaultHmcSessionIdleTimeout = TimeSpan.FromHours(2);

    /// <summary>
    /// How long an HMC API session (<c>X-API-Session</c>) lives without a request; after that, or a node
    /// restart, its requests answer 401 and the client logs on again.
    /// </summary>
    public TimeSpan HmcSessionIdleTimeout { get; set; } = DefaultHmcSessionIdleTimeout;

    /// <summary>The idle lifetime of a Redfish session unless set: 30 minutes, the Redfish SessionService's usual timeout.</summary>
    public static readonly TimeSpan DefaultRedfishSessionIdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How long a Redfish session (<c>X-Auth-Token</c>) lives without a request; after that its requests answer 401.</summary>
    public TimeSpan RedfishSessionIdleTimeout { get; set; } = DefaultRedfishSessionIdleTimeout;

    /// <summary>
    /// The ids of the systems served at <c>/redfish/v1/Systems</c>, whose <c>ComputerSystem.Reset</c> runs the
    /// ComputerSystem/Reset operation as a job and whose <c>PowerState</c> is what the last such job left; empty for none.
    /// </summary>
    public IList<string> RedfishSystems { get; } = [];
}
