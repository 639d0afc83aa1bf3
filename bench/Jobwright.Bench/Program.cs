using System.Globalization;
using System.Text.Json;
using Jobwright.Bench;

// Jobwright's own benchmark: submit-and-run throughput on SQLite (synchronous=FULL), idle
// submit-to-start latency, cancel-to-token latency, and the process's memory under load.
// Prints a table, then one JSON line.
var quick = args.Contains("--quick");
var jobs = quick ? 2_000 : 10_000;
var latencySamples = quick ? 200 : 500;
var repetitions = ReadOption("--repetitions", 5);
var workers = ReadOption("--workers", new Jobwright.Hosting.JobwrightOptions().WorkerSlots);
var synchronousSetting = args.SkipWhile(a => a != "--synchronous").Skip(1).FirstOrDefault() ?? "FULL";

Console.WriteLine($"Jobwright benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {workers} worker slots, SQLite synchronous={synchronousSetting}");
Console.WriteLine();

// One unmeasured run first, so the table shows a warmed-up node (JIT tiering) as a server runs.
await using (var warmup = await BenchNode.StartAsync(workers, synchronousSetting))
{
    await Throughput.RunAsync(warmup, jobs);
}

var throughputs = new List<double>();
var runs = new List<double>();
var peakRss = 0L;
long synchronous = -1;
for (var run = 0; run < repetitions; run++)
{
    await using var node = await BenchNode.StartAsync(workers, synchronousSetting);
    synchronous = await node.Store.ReadSynchronousAsync(CancellationToken.None);
    var (rate, rss) = await Throughput.RunAsync(node, jobs);
    throughputs.Add(rate);
    runs.Add(rate);
    peakRss = Math.Max(peakRss, rss);
}

List<double> latencies, cancels;
await using (var node = await BenchNode.StartAsync(workers, synchronousSetting))
{
    latencies = await Latency.RunAsync(node, latencySamples);
    cancels = await CancelLatency.RunAsync(node, latencySamples);
}

throughputs.Sort();
latencies.Sort();
cancels.Sort();
var median = throughputs[throughputs.Count / 2];
Row("case", "result", "range / detail");
Row("---", "---", "---");
Row($"submit + run {jobs:N0} no-op jobs (library)", $"{median:N0} jobs/s", $"median of {repetitions} runs after a warm-up run: {string.Join(", ", runs.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}; synchronous read back = {synchronous} (2 = FULL)");
Row("idle submit-to-start p50", $"{Percentile(latencies, 0.50):0.00} ms", $"{latencySamples} jobs, one at a time");
Row("idle submit-to-start p95", $"{Percentile(latencies, 0.95):0.00} ms", string.Empty);
Row("idle submit-to-start p99", $"{Percentile(latencies, 0.99):0.00} ms", $"max {latencies[^1]:0.00} ms");
Row("cancel-to-token p50", $"{Percentile(cancels, 0.50):0.00} ms", $"{latencySamples} running jobs, one at a time");
Row("cancel-to-token p99", $"{Percentile(cancels, 0.99):0.00} ms", $"max {cancels[^1]:0.00} ms");
Row("peak RSS under load", $"{peakRss / (1024.0 * 1024.0):0} MB", "the whole benchmark process, sampled every 10 ms");
Console.WriteLine();
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["jobwright_sqlite_submit_and_run_jobs_per_s"] = Math.Round(median),
    ["jobwright_idle_latency_p50_ms"] = Math.Round(Percentile(latencies, 0.50), 3),
    ["jobwright_idle_latency_p99_ms"] = Math.Round(Percentile(latencies, 0.99), 3),
    ["jobwright_cancel_latency_p99_ms"] = Math.Round(Percentile(cancels, 0.99), 3),
    ["jobwright_peak_rss_mb"] = Math.Round(peakRss / (1024.0 * 1024.0)),
    ["jobs"] = jobs,
    ["workers"] = workers,
}));

int ReadOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static void Row(string a, string b, string c) => Console.WriteLine($"| {a,-44} | {b,-14} | {c} |");

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
