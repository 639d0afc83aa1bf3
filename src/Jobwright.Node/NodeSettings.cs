namespace Jobwright.Node;

/// <summary>How to run a node: where it listens, where it stores jobs, how many workers.</summary>
public sealed record NodeSettings
{
    /// <summary>The default listen URL: loopback only.</summary>
    public const string DefaultListenUrl = "http://127.0.0.1:5080";

    /// <summary>Where the API listens; port 0 picks a free port.</summary>
    public string ListenUrl { get => ListenUrls[0]; init => ListenUrls = [value]; }

    /// <summary>Every address the node listens on (http and https may be served at once); the first is <see cref="ListenUrl"/>.</summary>
    public IReadOnlyList<string> ListenUrls { get; init; } = [DefaultListenUrl];

    /// <summary>For https: the certificate, PEM (with <see cref="TlsKeyPath"/>) or PKCS#12; null makes (once) and uses a self-signed one.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>The PEM private key of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>Where the self-signed certificate is kept: beside the SQLite file, or in the working directory with PostgreSQL.</summary>
    public string GeneratedCertificatePath =>
        PostgresConnectionString is null
            ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(SqlitePath))!, "jobwright-tls.pfx")
            : System.IO.Path.GetFullPath("jobwright-tls.pfx");

    /// <summary>Who may call the node: users, API keys, JWT. Nothing set: no authentication, loopback only.</summary>
    public Server.Security.JobwrightSecurityOptions Security { get; init; } = new();

    /// <summary>Let a node that others can reach (not loopback) serve plain http. Off: such a node must serve https only.</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>How long an HMC API session lives without a request.</summary>
    public TimeSpan HmcSessionIdleTimeout { get; init; } = Server.JobwrightServerOptions.DefaultHmcSessionIdleTimeout;

    /// <summary>Where to send traces and metrics over OTLP; null: only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>The SQLite database file.</summary>
    public string SqlitePath { get; init; } = "jobwright.db";

    /// <summary>A PostgreSQL URL or Npgsql connection string; when set, the node joins that database's cluster instead of using SQLite.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>How long a node of a PostgreSQL cluster stays live without a heartbeat.</summary>
    public TimeSpan PostgresLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The key file for sensitive parameters, or null for the default (beside the SQLite file; ./jobwright.key with PostgreSQL).</summary>
    public string? KeyFile { get; init; }

    /// <summary>How the store is shown in logs and messages (never with a password).</summary>
    public string StoreDescription => PostgresConnectionString is null ? "sqlite:" + SqlitePath : "postgres";

    /// <summary>SQLite's synchronous setting (FULL by default: acknowledged jobs survive a power cut).</summary>
    public string SqliteSynchronous { get; init; } = "FULL";

    /// <summary>Worker slots, or null for the default.</summary>
    public int? Workers { get; init; }

    /// <summary>How many jobs may wait to start before submits are answered 503 (null: the library's default).</summary>
    public int? MaxQueuedJobs { get; init; }

    /// <summary>Register the sample operations.</summary>
    public bool Samples { get; init; }

    /// <summary>A JSON or YAML file of declared operations to load, or null.</summary>
    public string? OperationsFile { get; init; }

    /// <summary>This node's name, or null for the machine name.</summary>
    public string? NodeName { get; init; }

    /// <summary>Host names besides the loopback ones (localhost, 127.0.0.1, [::1]) that requests may name in their Host header.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>The largest request body accepted (413 beyond it).</summary>
    public long MaxRequestBodyBytes { get; init; } = Server.JobwrightServerOptions.DefaultMaxRequestBodyBytes;

    /// <summary>How long finished jobs are kept; null keeps them for ever.</summary>
    public TimeSpan? Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long running jobs may finish when the node stops.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
