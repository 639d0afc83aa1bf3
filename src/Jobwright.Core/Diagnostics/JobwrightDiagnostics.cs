namespace Jobwright.Diagnostics;

/// <summary>
/// The names under which Jobwright emits its telemetry, through <c>System.Diagnostics</c> only: a listener
/// (OpenTelemetry's <c>AddSource</c> and <c>AddMeter</c>, or a plain <c>ActivityListener</c>) subscribes to them.
/// docs/observability.md lists every span, instrument, unit and attribute.
/// </summary>
public static class JobwrightDiagnostics
{
    /// <summary>The <c>ActivitySource</c> of submit, claim, run and task spans.</summary>
    public const string ActivitySourceName = "Jobwright";

    /// <summary>The <c>Meter</c> of the job, worker, store and cluster instruments.</summary>
    public const string MeterName = "Jobwright";
}
