using System.Globalization;
using System.Text.Json;
using static Jobwright.Benchmarks.BenchCommandLine;
using Jobwright.TestSupport;
using Jobwright.Versus;

// Jobwright and Hangfire 1.8 measured side by side in one run, on the same machine, with the same
// worker count and the same durability (both SQLite stores read back; one PostgreSQL server, a fresh
// database per case). Every time is taken inside the jobs (their first instruction). Prints a table,
// then one JSON line.
var quick = args.Contains("--quick");
var workers = WholeNumber(args, "--workers", 64);
var repetitions = WholeNumber(args, "--repetitions", 3);
var jobwrightJobs = quick ? 2_000 : 10_000;
var hangfireJobs = quick ? 300 : 2_000;
var latencySamples = 200;
var cancelSamples = quick ? 20 : 50;
var httpDuration = TimeSpan.FromSeconds(quick ? 2 : 4);

if (args.Contains("--http-only"))
{
    var only = await HttpCase.RunAsync(httpDuration, repetitions);
    Console.WriteLine($"HTTP status reads {Median(only.Status):N0} req/s ({Range(only.Status)}), of a running job {Median(only.RunningStatus):N0} ({Range(only.RunningStatus)}), " +
        $"submits {Median(only.Submits):N0} req/s, bare endpoint {Median(only.Ceiling):N0} req/s ({Range(only.Ceiling)}): {Median(only.Status) / Median(only.Ceiling):P0}");
    return;
}

// The PostgreSQL cases' server is started below, once it is known to be needed; the cases capture
// these variables, not their values.
var admin = Postgres(args);
PostgresServer? privateServer = null;
PgCounters postgres = null!;
var pgDurability = string.Empty;
var summary = new Dictionary<string, object> { ["workers"] = workers, ["repetitions"] = repetitions, ["jobwright_jobs"] = jobwrightJobs, ["hangfire_durable_jobs"] = hangfireJobs };

// Each system on a fresh store per case.
var systems = new (string Key, int Jobs, Func<Task<ISystemUnderTest>> Create)[]
{
    ("jobwright_sqlite", jobwrightJobs, async () => await JobwrightSystem.SqliteAsync(workers)),
    ("jobwright_pg", jobwrightJobs, async () => JobwrightSystem.Postgres(workers, postgres.ConnectionString(await postgres.CreateDatabaseAsync()), pgDurability)),
    ("hangfire_inmemory", jobwrightJobs, () => Task.FromResult<ISystemUnderTest>(HangfireSystem.InMemory(workers))),
    ("hangfire_sqlite", hangfireJobs, () => Task.FromResult<ISystemUnderTest>(HangfireSystem.Sqlite(workers, fastPollers: true))),
    ("hangfire_pg", hangfireJobs, async () => HangfireSystem.Postgres(workers, postgres.ConnectionString(await postgres.CreateDatabaseAsync()), pgDurability, fastPollers: true)),
    ("hangfire_pg_defaults", hangfireJobs, async () => HangfireSystem.Postgres(workers, postgres.ConnectionString(await postgres.CreateDatabaseAsync()), pgDurability, fastPollers: false)),
};

var drainOnly = Text(args, "--drain-only");
if (drainOnly is not null && !systems.Any(s => s.Key == drainOnly))
{
    Usage($"--drain-only takes one of {string.Join(", ", systems.Select(s => s.Key))}, not '{drainOnly}'.");
}

if (drainOnly is null || drainOnly.Contains("_pg", StringComparison.Ordinal))
{
    if (admin is null)
    {
        privateServer = await PostgresServer.StartAsync();
        admin = privateServer.AdminConnectionString;
    }

    postgres = new PgCounters(admin);
    pgDurability = await postgres.DurabilityAsync();
}

if (drainOnly is not null)
{
    // One system's drain and end-to-end runs alone: for profiling, and for trying a change quickly.
    var (_, count, make) = systems.Single(s => s.Key == drainOnly);
    var (onlyDrains, onlyEndToEnds) = await ThroughputAsync(make, count);
    Console.WriteLine($"{drainOnly}: drain {Median(onlyDrains):N0} jobs/s ({Range(onlyDrains)}), end-to-end {Median(onlyEndToEnds):N0} jobs/s ({Range(onlyEndToEnds)})");
    if (privateServer is not null)
    {
        await privateServer.DisposeAsync();
    }

    return;
}

Console.WriteLine($"Jobwright vs Hangfire 1.8 — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {workers} workers for both, {repetitions} runs per figure (median, range)");
var names = new Dictionary<string, string>();
foreach (var (key, _, create) in systems)
{
    await using var probe = await create();
    names[key] = probe.Name;
    Console.WriteLine($"  {probe.Name}: {probe.Durability}");
}

Console.WriteLine();
Console.WriteLine("| case | system | result | detail |");
Console.WriteLine("| --- | --- | --- | --- |");
foreach (var (key, jobs, create) in systems)
{
    var (drains, endToEnds) = await ThroughputAsync(create, jobs);

    var name = names[key];
    Add($"drain {jobs:N0} jobs", name, $"{Median(drains):N0} jobs/s", Range(drains));
    Add($"end-to-end {jobs:N0} jobs", name, $"{Median(endToEnds):N0} jobs/s", Range(endToEnds));
    summary[$"{key}_drain_jobs_per_s"] = Math.Round(Median(drains));
    summary[$"{key}_end_to_end_jobs_per_s"] = Math.Round(Median(endToEnds));
}

foreach (var (key, _, create) in systems)
{
    // At Hangfire's shipped defaults a job waits for the 15 s queue poll: a few samples say enough.
    var samples = key == "hangfire_pg_defaults" ? 5 : latencySamples;
    await using var system = await create();
    var latencies = await Cases.IdleLatencyAsync(system, samples);
    Add($"idle submit-to-start ({samples} jobs)", system.Name,
        $"p50 {Cases.Percentile(latencies, 0.5):0.00} ms", $"p95 {Cases.Percentile(latencies, 0.95):0.00} ms, p99 {Cases.Percentile(latencies, 0.99):0.00} ms");
    summary[$"{key}_idle_latency_p50_ms"] = Math.Round(Cases.Percentile(latencies, 0.5), 3);
    summary[$"{key}_idle_latency_p99_ms"] = Math.Round(Cases.Percentile(latencies, 0.99), 3);
}

foreach (var (key, _, create) in systems.Where(s => s.Key is "jobwright_sqlite" or "jobwright_pg" or "hangfire_inmemory" or "hangfire_sqlite" or "hangfire_pg"))
{
    await using var system = await create();
    var (cancels, never, made) = await Cases.CancelAsync(system, cancelSamples);
    var fired = cancels.Count == 0 ? "never" : $"p50 {Cases.Percentile(cancels, 0.5):0.00} ms";
    var detail = cancels.Count == 0 ? string.Empty : $"p99 {Cases.Percentile(cancels, 0.99):0.00} ms";
    if (never > 0)
    {
        // Reported as seen: Hangfire accepted the delete (HangfireSystem checks) and the job's token stayed quiet.
        detail += $"{(detail.Length > 0 ? "; " : string.Empty)}{never} of {made} tokens did not fire within 10 s{(never == 3 ? " (the case stops at the third)" : string.Empty)}";
    }

    Add($"cancel-to-stop ({cancelSamples} jobs)", system.Name, fired, detail);
    summary[$"{key}_cancel_never"] = never;
    if (cancels.Count == 0)
    {
        continue;
    }

    summary[$"{key}_cancel_p50_ms"] = Math.Round(Cases.Percentile(cancels, 0.5), 3);
}

// Commits and statements per job on PostgreSQL: one drain each, counted for the case's database from
// before the system starts until after it closed its connections.
foreach (var (key, fast) in new[] { ("jobwright_pg", true), ("hangfire_pg", true) })
{
    var database = await postgres.CreateDatabaseAsync();
    var before = await postgres.ReadAsync(database);
    var jobs = key == "jobwright_pg" ? jobwrightJobs : hangfireJobs;
    ISystemUnderTest system = key == "jobwright_pg"
        ? JobwrightSystem.Postgres(workers, postgres.ConnectionString(database), pgDurability)
        : HangfireSystem.Postgres(workers, postgres.ConnectionString(database), pgDurability, fast);
    await Cases.DrainAsync(system, jobs);
    // Wait for the last jobs to be recorded as done, then let the system close its connections.
    await Task.Delay(TimeSpan.FromSeconds(2));
    var name = system.Name;
    await system.DisposeAsync();
    await Task.Delay(TimeSpan.FromSeconds(1));
    var after = await postgres.ReadAsync(database);
    var commits = (after.Commits - before.Commits) / (double)jobs;
    var statements = (after.Statements - before.Statements) / (double)jobs;
    Add($"PostgreSQL per job (drain of {jobs:N0})", name, $"{commits:0.00} commits", $"{statements:0.00} statements");
    summary[$"{key}_commits_per_job"] = Math.Round(commits, 3);
    summary[$"{key}_statements_per_job"] = Math.Round(statements, 3);
}

var httpResult = await HttpCase.RunAsync(httpDuration, repetitions);
var (statusRps, runningStatusRps, submitRps, ceilingRps) = (Median(httpResult.Status), Median(httpResult.RunningStatus), Median(httpResult.Submits), Median(httpResult.Ceiling));
Add($"HTTP status reads of a finished job, {HttpCase.Connections} connections", "Jobwright node (SQLite)", $"{statusRps:N0} req/s", $"{statusRps / ceilingRps:P0} of the ceiling; {Range(httpResult.Status)}");
Add($"HTTP status reads of a running job, {HttpCase.Connections} connections", "Jobwright node (SQLite)", $"{runningStatusRps:N0} req/s", $"{runningStatusRps / ceilingRps:P0} of the ceiling; {Range(httpResult.RunningStatus)}");
Add($"HTTP submits, {HttpCase.Connections} connections", "Jobwright node (SQLite)", $"{submitRps:N0} req/s", $"each a durable commit; {Range(httpResult.Submits)}");
Add("HTTP ceiling: bare endpoint, same bytes", "ASP.NET Core minimal API", $"{ceilingRps:N0} req/s", Range(httpResult.Ceiling));
summary["http_status_rps"] = Math.Round(statusRps);
summary["http_running_status_rps"] = Math.Round(runningStatusRps);
summary["http_submit_rps"] = Math.Round(submitRps);
summary["http_ceiling_rps"] = Math.Round(ceilingRps);
summary["jobwright_idle_latency_p99_ms"] = summary["jobwright_sqlite_idle_latency_p99_ms"];
summary["hangfire_idle_latency_p99_ms"] = summary["hangfire_sqlite_idle_latency_p99_ms"];

Console.WriteLine();
Console.WriteLine($"drain, Jobwright / Hangfire: SQLite {Ratio("jobwright_sqlite", "hangfire_sqlite")}, PostgreSQL {Ratio("jobwright_pg", "hangfire_pg")}, Jobwright SQLite / Hangfire.InMemory {Ratio("jobwright_sqlite", "hangfire_inmemory")}");
if (privateServer is not null)
{
    await privateServer.DisposeAsync();
}

Console.WriteLine();
Console.WriteLine(JsonSerializer.Serialize(summary));

// Rows are printed as they are measured, so a long run shows its progress.
void Add(string @case, string system, string result, string detail) => Console.WriteLine($"| {@case} | {system} | {result} | {detail} |");

string Ratio(string ours, string theirs) =>
    $"{(double)summary[$"{ours}_drain_jobs_per_s"] / Math.Max(1, (double)summary[$"{theirs}_drain_jobs_per_s"]):0.0}×";

// One drain and one end-to-end run first that are not counted, for every system alike: a fresh process
// runs its first jobs in code the JIT has not optimized yet (the first run was about half as fast).
async Task<(List<double> Drains, List<double> EndToEnds)> ThroughputAsync(Func<Task<ISystemUnderTest>> create, int jobs)
{
    var drains = new List<double>();
    var endToEnds = new List<double>();
    for (var run = -1; run < repetitions; run++)
    {
        double drain, endToEnd;
        await using (var system = await create())
        {
            drain = await Cases.DrainAsync(system, jobs);
        }

        await using (var system = await create())
        {
            endToEnd = await Cases.EndToEndAsync(system, jobs);
        }

        if (run >= 0)
        {
            drains.Add(drain);
            endToEnds.Add(endToEnd);
        }
    }

    return (drains, endToEnds);
}

static string Range(List<double> values) =>
    $"runs {string.Join(", ", values.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}";
