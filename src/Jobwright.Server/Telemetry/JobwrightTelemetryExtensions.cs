using Jobwright.Diagnostics;
using Jobwright.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Jobwright.Server;

/// <summary>Turns on OpenTelemetry for a Jobwright host: Jobwright's spans and instruments, ASP.NET Core's, Prometheus at <c>/metrics</c>, OTLP.</summary>
public static class JobwrightTelemetryExtensions
{
    /// <summary>The variable OpenTelemetry's exporters read for the OTLP endpoint.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Exports the <see cref="JobwrightDiagnostics.ActivitySourceName"/> source and the
    /// <see cref="JobwrightDiagnostics.MeterName"/> meter with ASP.NET Core's spans and meters: to Prometheus
    /// at <c>/metrics</c> (served by <c>MapJobwright</c>) and over OTLP when an endpoint is given. A host with
    /// an OpenTelemetry set-up of its own adds the source and meter there instead.
    /// </summary>
    public static JobwrightBuilder WithTelemetry(this JobwrightBuilder builder, Action<JobwrightTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new JobwrightTelemetryOptions();
        configure?.Invoke(options);
        var otlp = options.OtlpEndpoint ?? OtlpEndpointFromEnvironment();
        builder.Services.AddSingleton(new TelemetryExport(options.Prometheus, otlp));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceVersion: Model.NodeInfo.CurrentVersion))
            .WithTracing(tracing =>
            {
                tracing.AddSource(JobwrightDiagnostics.ActivitySourceName)
                    // A scrape every few seconds is not a request anyone wants to trace.
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"));
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(JobwrightDiagnostics.MeterName).AddAspNetCoreInstrumentation();
                if (options.Prometheus)
                {
                    // Every scrape reads the store afresh, so /metrics and the job list agree.
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
        return builder;
    }

    private static Uri? OtlpEndpointFromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(OtlpEndpointVariable) is not { Length: > 0 } value)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new InvalidOperationException($"{OtlpEndpointVariable} is '{value}': give the collector's http or https URL, e.g. http://127.0.0.1:4317.");
    }
}
