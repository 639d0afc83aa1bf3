namespace Jobwright.Server;

/// <summary>Settings of Jobwright's HTTP face (the JSON API, the HMC API, the dashboard).</summary>
public sealed class JobwrightServerOptions
{
    /// <summary>The default largest request body: 1 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The largest request body the APIs read (413 beyond it); at least 1024.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;
}
