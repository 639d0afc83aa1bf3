using System.Diagnostics;
using Jobwright.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Jobwright.Bench;

/// <summary>
/// The drain of SQLite no-op jobs with telemetry off (JobwrightOptions.Telemetry = false), on with nothing
/// listening (the default), and on with OpenTelemetry's SDK exporting every span and metric (to exporters that
/// count and drop, so the figure is the SDK's cost, not a network's). The modes take turns in every repetition.
/// </summary>
internal static class TelemetryCost
{
    public static readonly string[] Modes = ["off", "on, no listener", "on, exported"];

    public static async Task<Dictionary<string, List<double>>> RunAsync(int workers, int jobs, int repetitions)
    {
        var rates = Modes.ToDictionary(m => m, _ => new List<double>());
        for (var run = -1; run < repetitions; run++)
        {
            foreach (var mode in Modes)
            {
                await using var node = await BenchNode.StartAsync(workers, telemetry: mode != "off", mode == "on, exported" ? Export : null);
                var (rate, _) = await Throughput.RunAsync(node, jobs);
                if (run >= 0)
                {
                    // Run -1 warms each mode up.
                    rates[mode].Add(rate);
                }
            }
        }

        return rates;
    }

    private static void Export(HostApplicationBuilder builder) =>
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(JobwrightDiagnostics.ActivitySourceName).AddProcessor(new BatchActivityExportProcessor(new DroppingSpanExporter())))
            .WithMetrics(m => m.AddMeter(JobwrightDiagnostics.MeterName).AddReader(new PeriodicExportingMetricReader(new DroppingMetricExporter(), 1000)));

    private sealed class DroppingSpanExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }

    private sealed class DroppingMetricExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
