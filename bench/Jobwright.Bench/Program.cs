using System.Globalization;
using System.Text.Json;
using static Jobwright.Benchmarks.BenchCommandLine;
using Jobwright.Bench;

// Jobwright's own benchmark. SQLite (synchronous=FULL): submit-and-run throughput, idle submit-to-start
// latency, cancel-to-token latency, the process's memory under load. PostgreSQL (fsync and
// synchronous_commit on; a private server unless --postgres names one): throughput with commits per
// job, idle latency, and the queries an idle node makes. Prints a table, then one JSON line.
var quick = args.Contains("--quick");
var jobs = quick ? 2_000 : 10_000;
var latencySamples = quick ? 200 : 500;
var repetitions = WholeNumber(args, "--repetitions", 5);
var workers = WholeNumber(args, "--workers", new Jobwright.Hosting.JobwrightOptions().WorkerSlots);
var synchronousSetting = Text(args, "--synchronous") ?? "FULL";
if (synchronousSetting is not ("FULL" or "NORMAL" or "EXTRA"))
{
    Usage($"--synchronous takes FULL, NORMAL or EXTRA, not '{synchronousSetting}'.");
}

var only = Text(args, "--only");
if (only is not (null or "sqlite" or "postgres" or "telemetry" or "schedules" or "scale" or "targets" or "targets-postgres" or "retention" or "long-transaction" or "serve"))
{
    Usage($"--only takes sqlite, postgres, telemetry, schedules, scale, targets, targets-postgres, retention, long-transaction or serve, not '{only}'.");
}

// The scale case's store: finished and waiting jobs (1,000,000 and 100,000; a tenth with --quick).
var scaleFinished = WholeNumber(args, "--scale-finished", quick ? 100_000 : 1_000_000);
var scaleWaiting = WholeNumber(args, "--scale-waiting", quick ? 10_000 : 100_000);
// The retention case's expired jobs (1,000,000; a tenth with --quick).
var retentionExpired = WholeNumber(args, "--retention-expired", quick ? 100_000 : 1_000_000);
// How long the long-transaction case's other session keeps its snapshot open (60 s; 15 s with --quick).
var holdSeconds = WholeNumber(args, "--hold-seconds", quick ? 15 : 60);
// The serve case's jobs, submitted over HTTP (400,000; a tenth with --quick).
var serveJobs = WholeNumber(args, "--serve-jobs", quick ? 40_000 : 400_000);

var postgres = Postgres(args);
var summary = new Dictionary<string, object> { ["jobs"] = jobs, ["workers"] = workers };

Console.WriteLine($"Jobwright benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {workers} worker slots, {jobs:N0} jobs per run");
Console.WriteLine();
Row("case", "result", "range / detail");
Row("---", "---", "---");

if (only is null or "sqlite")
{
    await RunSqliteAsync();
}

if (only is null or "postgres")
{
    await RunPostgresAsync();
}

if (only is null or "telemetry")
{
    await RunTelemetryAsync();
}

if (only is null or "schedules")
{
    await RunSchedulesAsync();
}

if (only is null or "scale")
{
    await RunScaleAsync();
}

if (only is null or "targets")
{
    await RunTargetsAsync();
}

if (only is null or "targets-postgres")
{
    await RunPostgresTargetsAsync();
}

if (only is null or "retention")
{
    await RunRetentionAsync();
}

if (only is null or "long-transaction")
{
    await RunLongTransactionAsync();
}

if (only is null or "serve")
{
    var served = await ServeRss.RunAsync(serveJobs);
    Row($"jobwright serve: {served.Jobs:N0} jobs over HTTP", $"{served.PeakRss / (1024.0 * 1024.0):0} MB peak RSS",
        $"{served.RssAtEnd / (1024.0 * 1024.0):0} MB once drained; {served.JobsPerSecond:N0} jobs/s from the first submit until none waits or runs; SQLite, the sample operations, 64 HTTP submitters");
    summary["jobwright_serve_peak_rss_mb"] = Math.Round(served.PeakRss / (1024.0 * 1024.0));
    summary["jobwright_serve_rss_at_end_mb"] = Math.Round(served.RssAtEnd / (1024.0 * 1024.0));
    summary["jobwright_serve_jobs_per_s"] = Math.Round(served.JobsPerSecond);
}

Console.WriteLine();
Console.WriteLine(JsonSerializer.Serialize(summary));

async Task RunSqliteAsync()
{
    // One unmeasured run first, so the table shows a warmed-up node (JIT tiering) as a server runs.
    await using (var warmup = await BenchNode.StartAsync(workers, synchronousSetting))
    {
        await Throughput.RunAsync(warmup, jobs);
    }

    var runs = new List<double>();
    var peakRss = 0L;
    long synchronous = -1;
    for (var run = 0; run < repetitions; run++)
    {
        await using var node = await BenchNode.StartAsync(workers, synchronousSetting);
        synchronous = await ((Jobwright.Sqlite.SqliteJobStore)node.Store).ReadSynchronousAsync(CancellationToken.None);
        var (rate, rss) = await Throughput.RunAsync(node, jobs);
        runs.Add(rate);
        peakRss = Math.Max(peakRss, rss);
    }

    List<double> latencies, cancels;
    await using (var node = await BenchNode.StartAsync(workers, synchronousSetting))
    {
        latencies = await Latency.RunAsync(node, latencySamples);
        cancels = await CancelLatency.RunAsync(node, latencySamples);
    }

    latencies.Sort();
    cancels.Sort();
    var median = Median(runs);
    Row($"SQLite: submit + run {jobs:N0} no-op jobs", $"{median:N0} jobs/s", $"median of {repetitions} runs after a warm-up run: {string.Join(", ", runs.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}; synchronous read back = {synchronous} (2 = FULL)");
    Row("SQLite: idle submit-to-start p50", $"{Percentile(latencies, 0.50):0.00} ms", $"{latencySamples} jobs, one at a time");
    Row("SQLite: idle submit-to-start p95", $"{Percentile(latencies, 0.95):0.00} ms", string.Empty);
    Row("SQLite: idle submit-to-start p99", $"{Percentile(latencies, 0.99):0.00} ms", $"max {latencies[^1]:0.00} ms");
    Row("SQLite: cancel-to-token p50", $"{Percentile(cancels, 0.50):0.00} ms", $"{latencySamples} running jobs, one at a time");
    Row("SQLite: cancel-to-token p99", $"{Percentile(cancels, 0.99):0.00} ms", $"max {cancels[^1]:0.00} ms");
    Row("SQLite: peak RSS under load", $"{peakRss / (1024.0 * 1024.0):0} MB", "the whole benchmark process, sampled every 10 ms");
    summary["jobwright_sqlite_submit_and_run_jobs_per_s"] = Math.Round(median);
    summary["jobwright_idle_latency_p50_ms"] = Math.Round(Percentile(latencies, 0.50), 3);
    summary["jobwright_idle_latency_p99_ms"] = Math.Round(Percentile(latencies, 0.99), 3);
    summary["jobwright_cancel_latency_p99_ms"] = Math.Round(Percentile(cancels, 0.99), 3);
    summary["jobwright_peak_rss_mb"] = Math.Round(peakRss / (1024.0 * 1024.0));
}

async Task RunPostgresAsync()
{
    var result = await PostgresBench.RunAsync(postgres, workers, jobs, repetitions, latencySamples);
    var median = Median(result.Throughputs);
    var commits = Median(result.CommitsPerJob);
    result.Latencies.Sort();
    Row($"PostgreSQL: submit + run {jobs:N0} no-op jobs", $"{median:N0} jobs/s", $"median of {repetitions} runs after a warm-up run, a fresh database each: {string.Join(", ", result.Throughputs.Select(PostgresBench.Format))}; PostgreSQL {result.Settings}");
    Row("PostgreSQL: commits per job", $"{commits:0.000}", $"pg_stat_database xact_commit of the run's database (node start and stop included) / jobs; runs: {string.Join(", ", result.CommitsPerJob.Select(c => c.ToString("0.000", CultureInfo.InvariantCulture)))}");
    Row("PostgreSQL: idle submit-to-start p50", $"{Percentile(result.Latencies, 0.50):0.00} ms", $"{latencySamples} jobs, one at a time");
    Row("PostgreSQL: idle submit-to-start p99", $"{Percentile(result.Latencies, 0.99):0.00} ms", $"max {result.Latencies[^1]:0.00} ms");
    var crossNode = result.CrossNodeCancels.Order().ToList();
    Row("PostgreSQL: cross-node cancel-to-token p50", $"{Percentile(crossNode, 0.50):0.00} ms", $"{latencySamples} running jobs, one at a time, canceled through another node of the cluster");
    Row("PostgreSQL: cross-node cancel-to-token p99", $"{Percentile(crossNode, 0.99):0.00} ms", $"max {crossNode[^1]:0.00} ms");
    Row("PostgreSQL: queries of an idle node", $"{result.IdleQueriesPerSecond:0.00} /s", "statements (pg_stat_statements) over 10 s with nothing to do");
    summary["jobwright_pg_submit_and_run_jobs_per_s"] = Math.Round(median);
    summary["jobwright_pg_commits_per_job"] = Math.Round(commits, 3);
    summary["jobwright_pg_idle_latency_p50_ms"] = Math.Round(Percentile(result.Latencies, 0.50), 3);
    summary["jobwright_pg_idle_latency_p99_ms"] = Math.Round(Percentile(result.Latencies, 0.99), 3);
    summary["jobwright_pg_cross_node_cancel_p99_ms"] = Math.Round(Percentile(crossNode, 0.99), 3);
    summary["jobwright_pg_idle_queries_per_s"] = Math.Round(result.IdleQueriesPerSecond, 2);
}

async Task RunTelemetryAsync()
{
    var rates = await TelemetryCost.RunAsync(workers, jobs, repetitions);
    var off = Median(rates["off"]);
    foreach (var (mode, runs) in rates)
    {
        var median = Median(runs);
        var change = (off - median) / off;
        var cost = mode == "off" ? "the reference" : change >= 0 ? $"{change:0.0%} slower than off" : $"{-change:0.0%} faster than off (the spread between runs)";
        Row($"SQLite: telemetry {mode}", $"{median:N0} jobs/s", $"median of {repetitions} runs ({string.Join(", ", runs.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}); {cost}");
        summary[$"jobwright_telemetry_{mode.Replace(", ", "_", StringComparison.Ordinal).Replace(' ', '_')}_jobs_per_s"] = Math.Round(median);
    }
}

async Task RunSchedulesAsync()
{
    var count = quick ? 2_000 : 10_000;
    await using var node = await BenchNode.StartAsync(workers, synchronousSetting);
    var (rate, delays, creating) = await ScheduleLoad.RunAsync(node, count);
    Row($"SQLite: {count:N0} schedules due at once", $"{rate:N0} jobs/s", $"from the first job submitted to the last; creating them took {creating.TotalSeconds:0.0} s");
    Row("SQLite: due time to job submitted p50", $"{Percentile(delays, 0.50):0} ms", "the store's timeSubmitted minus the due time");
    Row("SQLite: due time to job submitted p99", $"{Percentile(delays, 0.99):0} ms", $"max {delays[^1]:0} ms (the node looks every second)");
    summary["jobwright_schedules_jobs_per_s"] = Math.Round(rate);
    summary["jobwright_schedule_delay_p50_ms"] = Math.Round(Percentile(delays, 0.50));
    summary["jobwright_schedule_delay_p99_ms"] = Math.Round(Percentile(delays, 0.99));
}

async Task RunScaleAsync()
{
    // A warm-up node first (JIT tiering), so that the empty store is not timed on a cold process.
    await using (var warmup = await BenchNode.StartAsync(workers, synchronousSetting))
    {
        await Throughput.RunAsync(warmup, jobs);
        await ScaleCost.MeasureAsync(warmup, latencySamples);
    }

    // Room for the waiting jobs beside the default bound on queued jobs.
    await using var node = await BenchNode.StartAsync(workers, synchronousSetting, maxQueued: scaleWaiting + 100_000);
    var empty = await ScaleCost.MeasureAsync(node, latencySamples);
    var seeding = await ScaleCost.SeedAsync(node, scaleFinished, scaleWaiting);
    var big = await ScaleCost.MeasureAsync(node, latencySamples);
    var store = $"{scaleFinished:N0} finished + {scaleWaiting:N0} waiting";
    Row($"SQLite scale: seeding {store}", $"{seeding.TotalSeconds:0} s", "through the node (the store's own writer): no-op jobs run to their end, then jobs scheduled a day ahead");
    foreach (var (name, key, before, after) in new[]
    {
        ("submit (until acknowledged)", "submit", empty.Submit, big.Submit),
        ("submit-to-start (the claim)", "start", empty.Start, big.Start),
        ("first page of the list (50)", "first_page", empty.FirstPage, big.FirstPage),
        ("a job by id", "by_id", empty.ById, big.ById),
        ("NOT_STARTED page with reasons", "not_started_page", empty.NotStartedPage, big.NotStartedPage),
        ("RUNNING page, nothing running", "running_page", empty.RunningPage, big.RunningPage),
    })
    {
        var (p50, p99) = (Percentile(after, 0.50), Percentile(after, 0.99));
        Row($"SQLite scale: {name} p50 / p99", $"{p50:0.00} / {p99:0.00} ms",
            $"empty store {Percentile(before, 0.50):0.00} / {Percentile(before, 0.99):0.00} ms; {store}: {p50 / Percentile(before, 0.50):0.0}x / {p99 / Percentile(before, 0.99):0.0}x");
        summary[$"jobwright_scale_{key}_empty_p50_ms"] = Math.Round(Percentile(before, 0.50), 3);
        summary[$"jobwright_scale_{key}_empty_p99_ms"] = Math.Round(Percentile(before, 0.99), 3);
        summary[$"jobwright_scale_{key}_p50_ms"] = Math.Round(p50, 3);
        summary[$"jobwright_scale_{key}_p99_ms"] = Math.Round(p99, 3);
    }
}

async Task RunTargetsAsync()
{
    await RunTargetsOnAsync("SQLite", "jobwright_targets", () => BenchNode.StartAsync(workers, synchronousSetting));
}

async Task RunPostgresTargetsAsync()
{
    var server = postgres is null ? await Jobwright.TestSupport.PostgresServer.StartAsync() : null;
    try
    {
        var admin = postgres ?? server!.AdminConnectionString;
        await RunTargetsOnAsync("PostgreSQL", "jobwright_pg_targets", async () => await BenchNode.StartPostgresAsync(workers, await PostgresBench.CreateDatabaseAsync(admin)));
    }
    finally
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

// Each case on a fresh node (and store), in turns, repetitions times; the medians are compared.
async Task RunTargetsOnAsync(string store, string key, Func<Task<BenchNode>> startNode)
{
    var (spread, targets, behind) = (quick ? 20_000 : 100_000, WholeNumber(args, "--targets", quick ? 2_000 : 10_000), 100);
    var cases = new Dictionary<string, List<double>> { ["none"] = [], ["distinct"] = [], ["behind"] = [] };
    await using (var warmup = await startNode())
    {
        await TargetDrain.NoTargetAsync(warmup, jobs);
    }

    for (var run = 0; run < repetitions; run++)
    {
        await using (var node = await startNode())
        {
            cases["none"].Add(await TargetDrain.NoTargetAsync(node, spread));
        }

        await using (var node = await startNode())
        {
            cases["distinct"].Add(await TargetDrain.DistinctTargetsAsync(node, spread, targets));
        }

        await using (var node = await startNode())
        {
            cases["behind"].Add(await TargetDrain.BehindBusyTargetAsync(node, spread, behind));
        }
    }

    var none = Median(cases["none"]);
    string Runs(string name) => string.Join(", ", cases[name].Select(r => r.ToString("N0", CultureInfo.InvariantCulture)));
    Row($"{store}: drain {spread:N0} jobs, no target", $"{none:N0} jobs/s", $"median of {repetitions} runs: {Runs("none")}");
    Row($"{store}: drain {spread:N0} jobs, {targets:N0} targets", $"{Median(cases["distinct"]):N0} jobs/s", $"{spread / targets} jobs per target; {Median(cases["distinct"]) / none:0%} of no target; runs {Runs("distinct")}");
    Row($"{store}: drain {spread:N0} jobs, {behind} behind a busy target", $"{Median(cases["behind"]):N0} jobs/s", $"the jobs without a target; {Median(cases["behind"]) / none:0%} of no target; runs {Runs("behind")}");
    summary[$"{key}_none_jobs_per_s"] = Math.Round(none);
    summary[$"{key}_distinct_jobs_per_s"] = Math.Round(Median(cases["distinct"]));
    summary[$"{key}_behind_busy_jobs_per_s"] = Math.Round(Median(cases["behind"]));
}

static void Row(string a, string b, string c) => Console.WriteLine($"| {a,-44} | {b,-14} | {c} |");

async Task RunRetentionAsync()
{
    var directory = BenchNode.NewDirectory();
    try
    {
        // A node that keeps every finished job: the seeding (whose drain rate sets the pace), the idle submits, and the
        // paced submits with no cleanup running, for comparison.
        var drains = new List<double>();
        List<double> idle, paced;
        long lastExpired;
        await using (var keeping = await BenchNode.StartOnAsync(workers, directory, retention: null))
        {
            for (var done = 0; done < retentionExpired; done += 100_000)
            {
                drains.Add((await Throughput.RunAsync(keeping, Math.Min(100_000, retentionExpired - done))).JobsPerSecond);
                keeping.Starts.Clear();
            }

            idle = await RetentionLoad.IdleSubmitsAsync(keeping, latencySamples);
            paced = await RetentionLoad.PacedSubmitsAsync(keeping, Median(drains) / 2, Task.Delay(TimeSpan.FromSeconds(10)));
            lastExpired = (await keeping.Jobs.SubmitAsync(new Jobwright.Model.JobSubmission { Operation = "NoOp", Group = "Bench" }, "bench", CancellationToken.None)).Job.JobId;
            await keeping.Jobs.WaitForTerminalAsync(lastExpired, TimeSpan.FromSeconds(30), CancellationToken.None);
            keeping.Starts.Clear();
        }

        // The same store reopened with a retention of one second: every job above is expired, and is removed while
        // the submits go on at half the drain rate.
        var rate = Median(drains) / 2;
        List<double> during;
        TimeSpan cleanup;
        await using (var cleaning = await BenchNode.StartOnAsync(workers, directory, retention: TimeSpan.FromSeconds(1)))
        {
            var gone = RetentionLoad.GoneAsync(cleaning, lastExpired);
            during = await RetentionLoad.PacedSubmitsAsync(cleaning, rate, gone);
            cleanup = await gone;
        }

        var idleP99 = Percentile(idle, 0.99);
        Row($"SQLite retention: removing {lastExpired:N0} expired jobs", $"{cleanup.TotalSeconds:0.0} s", $"from the node's start until the last is gone; submits meanwhile at {rate:N0}/s (half the drain, {Median(drains):N0} jobs/s)");
        Row("SQLite retention: submit p50 / p99 while removing", $"{Percentile(during, 0.50):0.00} / {Percentile(during, 0.99):0.00} ms",
            $"{during.Count:N0} submits; {Percentile(during, 0.99) / idleP99:0.0}x the idle p99, {Percentile(during, 0.99) / Percentile(paced, 0.99):0.0}x the same pace with nothing to remove");
        Row("SQLite retention: idle submit p50 / p99", $"{Percentile(idle, 0.50):0.00} / {idleP99:0.00} ms", $"{latencySamples} submits one at a time on the full store, each run to its end");
        Row("SQLite retention: paced submit p50 / p99, nothing to remove", $"{Percentile(paced, 0.50):0.00} / {Percentile(paced, 0.99):0.00} ms", $"{paced.Count:N0} submits over 10 s at {rate:N0}/s");
        summary["jobwright_retention_expired_jobs"] = lastExpired;
        summary["jobwright_retention_cleanup_s"] = Math.Round(cleanup.TotalSeconds, 1);
        summary["jobwright_retention_submit_p50_ms"] = Math.Round(Percentile(during, 0.50), 3);
        summary["jobwright_retention_submit_p99_ms"] = Math.Round(Percentile(during, 0.99), 3);
        summary["jobwright_retention_idle_submit_p99_ms"] = Math.Round(idleP99, 3);
        summary["jobwright_retention_paced_submit_p99_ms"] = Math.Round(Percentile(paced, 0.99), 3);
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }
}

async Task RunLongTransactionAsync()
{
    var server = postgres is null ? await Jobwright.TestSupport.PostgresServer.StartAsync() : null;
    try
    {
        var admin = postgres ?? server!.AdminConnectionString;
        var duration = TimeSpan.FromSeconds(holdSeconds);
        // A warm-up drain first, as in the other cases; then the baseline and the drain beside the open snapshot.
        await LongTransaction.RunAsync(await PostgresBench.CreateDatabaseAsync(admin), workers, TimeSpan.FromSeconds(5), holdSnapshot: false);
        var baseline = await LongTransaction.RunAsync(await PostgresBench.CreateDatabaseAsync(admin), workers, duration, holdSnapshot: false);
        var held = await LongTransaction.RunAsync(await PostgresBench.CreateDatabaseAsync(admin), workers, duration, holdSnapshot: true);
        string Rounds(LongTransaction.Drain drain) => string.Join(", ", drain.Rounds.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)));
        Row($"PostgreSQL: drain for {holdSeconds} s", $"{baseline.JobsPerSecond:N0} jobs/s", $"rounds of 10,000 jobs: {Rounds(baseline)}");
        Row($"PostgreSQL: drain for {holdSeconds} s, a snapshot held open", $"{held.JobsPerSecond:N0} jobs/s",
            $"{held.JobsPerSecond / baseline.JobsPerSecond:0%} of the baseline; another session's REPEATABLE READ transaction holds xmin throughout; rounds: {Rounds(held)}");
        summary["jobwright_pg_long_transaction_baseline_jobs_per_s"] = Math.Round(baseline.JobsPerSecond);
        summary["jobwright_pg_long_transaction_jobs_per_s"] = Math.Round(held.JobsPerSecond);
        summary["jobwright_pg_long_transaction_last_round_jobs_per_s"] = Math.Round(held.Rounds[^1]);
    }
    finally
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
