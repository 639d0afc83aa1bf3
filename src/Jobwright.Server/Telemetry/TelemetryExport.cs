namespace Jobwright.Server;

/// <summary>What <c>WithTelemetry</c> turned on, for <c>MapJobwright</c>: whether it serves /metrics.</summary>
internal sealed record TelemetryExport(bool Prometheus, Uri? OtlpEndpoint);
