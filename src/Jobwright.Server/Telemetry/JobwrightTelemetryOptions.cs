namespace Jobwright.Server;

/// <summary>How <c>WithTelemetry</c> exports Jobwright's traces and metrics.</summary>
public sealed class JobwrightTelemetryOptions
{
    /// <summary>The <c>service.name</c> of the exported telemetry.</summary>
    public string ServiceName { get; set; } = "jobwright";

    /// <summary>
    /// Where to send traces and metrics over OTLP (e.g. <c>http://collector:4317</c>). When null, OTLP is on
    /// only if the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set, and goes there.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Whether <c>MapJobwright</c> serves the metrics at <c>/metrics</c> in Prometheus' text format (admin only).</summary>
    public bool Prometheus { get; set; } = true;
}
