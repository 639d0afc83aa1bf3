using System.Text.Json.Nodes;
using Jobwright.Engine;
using Jobwright.Hosting;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.PostgreSql;
using Jobwright.Sqlite;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobwright.Versus;

/// <summary>A Jobwright node hosted through the library, on a fresh SQLite file or a fresh PostgreSQL database.</summary>
internal sealed class JobwrightSystem : ISystemUnderTest
{
    private static readonly ParameterDefinition[] KeyParameter = [new("key", ParameterType.Integer) { Required = true }];

    private readonly Func<IJobStore> _createStore;
    private readonly Action<JobwrightOptions> _useStore;
    private readonly int _workers;
    private readonly string _directory;
    private IHost? _host;
    private JobService? _jobs;

    private JobwrightSystem(string name, string durability, int workers, string directory, Func<IJobStore> createStore, Action<JobwrightOptions> useStore)
    {
        Name = name;
        Durability = durability;
        _workers = workers;
        _directory = directory;
        _createStore = createStore;
        _useStore = useStore;
    }

    public string Name { get; }

    public string Durability { get; }

    public static async Task<JobwrightSystem> SqliteAsync(int workers)
    {
        var directory = NewDirectory();
        var path = Path.Combine(directory, "jobwright.db");
        long synchronous;
        await using (var store = new SqliteJobStore(new SqliteStoreOptions { Path = path }, TimeProvider.System, new JobChangeFeed()))
        {
            await store.InitializeAsync(CancellationToken.None);
            synchronous = await store.ReadSynchronousAsync(CancellationToken.None);
        }

        return new JobwrightSystem(
            "Jobwright SQLite", $"WAL, synchronous={synchronous}", workers, directory,
            () => new SqliteJobStore(new SqliteStoreOptions { Path = path }, TimeProvider.System, new JobChangeFeed()),
            o => o.UseSqlite(path));
    }

    public static JobwrightSystem Postgres(int workers, string connectionString, string durability) =>
        new("Jobwright PostgreSQL", durability, workers, NewDirectory(),
            () => new PostgresJobStore(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System, new JobChangeFeed()),
            o => o.UsePostgres(connectionString));

    public async Task SeedAsync(long firstKey, int count)
    {
        await using var store = _createStore();
        await store.InitializeAsync(CancellationToken.None);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            for (var key = Interlocked.Increment(ref next); key < count; key = Interlocked.Increment(ref next))
            {
                await store.SubmitAsync(new NewJob { Operation = "NoOp", Group = "Bench", Parameters = new JsonObject { ["key"] = firstKey + key } }, CancellationToken.None);
            }
        })));
    }

    public void Prepare()
    {
        if (_host is not null)
        {
            return;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddJobwright(o =>
        {
            _useStore(o);
            o.SecretKeyPath = Path.Combine(_directory, "jobwright.key");
            o.WorkerSlots = _workers;
            o.NodeName = "bench";
        })
        .AddOperation<NoOpHandler>("NoOp", "Bench", op => op with { Parameters = KeyParameter })
        .AddOperation<WaitForCancelHandler>("WaitForCancel", "Bench", op => op with { Parameters = KeyParameter });
        _host = builder.Build();
    }

    public async Task StartAsync()
    {
        Prepare();
        await _host!.StartAsync();
        _jobs = _host.Services.GetRequiredService<JobService>();
    }

    public Task SubmitNoOpAsync(long key) => SubmitAsync("NoOp", key);

    public async Task<string> SubmitWaitForCancelAsync(long key) =>
        (await SubmitAsync("WaitForCancel", key)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task CancelAsync(string handle) =>
        Jobs.CancelAsync(long.Parse(handle, System.Globalization.CultureInfo.InvariantCulture), "bench", CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private JobService Jobs => _jobs ?? throw new InvalidOperationException("StartAsync first.");

    private async Task<long> SubmitAsync(string operation, long key) =>
        (await Jobs.SubmitAsync(new JobSubmission { Operation = operation, Group = "Bench", Parameters = new JsonObject { ["key"] = key } }, "bench", CancellationToken.None)).Job.JobId;

    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-versus", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
