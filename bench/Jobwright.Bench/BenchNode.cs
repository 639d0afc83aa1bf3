using Jobwright.Engine;
using Jobwright.Hosting;
using Jobwright.PostgreSql;
using Jobwright.Sqlite;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobwright.Bench;

/// <summary>A node hosted through the library (no HTTP) on a fresh SQLite file or a fresh PostgreSQL database.</summary>
internal sealed class BenchNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;
    private readonly bool _ownsDirectory;

    private BenchNode(IHost host, string directory, bool ownsDirectory)
    {
        _host = host;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Jobs = host.Services.GetRequiredService<JobService>();
        Starts = host.Services.GetRequiredService<StartTimes>();
        Cancels = host.Services.GetRequiredService<CancelTimes>();
        Store = host.Services.GetRequiredService<IJobStore>();
    }

    public JobService Jobs { get; }

    public StartTimes Starts { get; }

    public CancelTimes Cancels { get; }

    public IJobStore Store { get; }

    public static Task<BenchNode> StartAsync(int workers, string synchronous = "FULL", int? maxQueued = null) =>
        StartAsync(workers, (o, directory) =>
        {
            o.UseSqlite(Path.Combine(directory, "bench.db"), synchronous);
            if (maxQueued is { } most)
            {
                o.MaxQueuedJobs = most;
            }
        });

    /// <summary>A fresh directory for a store that several nodes open in turn (<see cref="StartOnAsync"/>); the caller removes it.</summary>
    public static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>A SQLite node on the store in <paramref name="directory"/>, which stays when the node stops; finished jobs kept for <paramref name="retention"/> (null: for ever).</summary>
    public static Task<BenchNode> StartOnAsync(int workers, string directory, TimeSpan? retention) =>
        StartAsync(workers, (o, _) =>
        {
            o.UseSqlite(Path.Combine(directory, "bench.db"));
            o.Retention = retention;
            // Room for the paced submits, whatever the drain keeps waiting.
            o.MaxQueuedJobs = 1_000_000;
        }, directory: directory);

    /// <summary>A SQLite node with telemetry on or off, and what <paramref name="host"/> adds (a listener, an exporter).</summary>
    public static Task<BenchNode> StartAsync(int workers, bool telemetry, Action<HostApplicationBuilder>? host) =>
        StartAsync(workers, (o, directory) =>
        {
            o.UseSqlite(Path.Combine(directory, "bench.db"));
            o.Telemetry = telemetry;
        }, host: host);

    /// <summary>A node of the cluster on <paramref name="connectionString"/>; one <paramref name="withOperations"/> false serves none (it only forwards).</summary>
    public static Task<BenchNode> StartPostgresAsync(int workers, string connectionString, string name = "bench", bool withOperations = true) =>
        StartAsync(workers, (o, directory) =>
        {
            o.UsePostgres(connectionString);
            o.SecretKeyPath = Path.Combine(directory, "bench.key");
        }, name, withOperations);

    private static async Task<BenchNode> StartAsync(
        int workers, Action<JobwrightOptions, string> useStore, string name = "bench", bool withOperations = true, Action<HostApplicationBuilder>? host = null, string? directory = null)
    {
        var ownsDirectory = directory is null;
        directory ??= NewDirectory();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<StartTimes>();
        builder.Services.AddSingleton<CancelTimes>();
        var jobwright = builder.Services.AddJobwright(o =>
        {
            useStore(o, directory);
            o.WorkerSlots = workers;
            o.NodeName = name;
        });
        if (withOperations)
        {
            jobwright.AddOperation<NoOpHandler>("NoOp", "Bench").AddOperation<WaitForCancelHandler>("WaitForCancel", "Bench");
        }

        host?.Invoke(builder);
        var built = builder.Build();
        await built.StartAsync();
        return new BenchNode(built, directory, ownsDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_ownsDirectory)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
