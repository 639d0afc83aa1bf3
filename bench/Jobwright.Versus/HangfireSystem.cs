using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;

namespace Jobwright.Versus;

/// <summary>A Hangfire server on a fresh store: in memory, a SQLite file, or a PostgreSQL database.</summary>
internal sealed class HangfireSystem : ISystemUnderTest
{
    /// <summary>The poll interval of the "pollers set low" rows (Hangfire's own defaults are 15 s for the queue and the schedule, 5 s for cancels).</summary>
    public static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(50);

    private readonly JobStorage _storage;
    private readonly BackgroundJobClient _client;
    private readonly BackgroundJobServerOptions _serverOptions;
    private readonly Action _cleanUp;
    private BackgroundJobServer? _server;

    static HangfireSystem() =>
        GlobalConfiguration.Configuration.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();

    private HangfireSystem(string name, string durability, JobStorage storage, int workers, bool fastPollers, Action cleanUp)
    {
        Name = name;
        Durability = durability;
        _storage = storage;
        _cleanUp = cleanUp;
        _client = new BackgroundJobClient(storage);
        _serverOptions = new BackgroundJobServerOptions { WorkerCount = workers };
        if (fastPollers)
        {
            _serverOptions.SchedulePollingInterval = FastPoll;
            _serverOptions.CancellationCheckInterval = FastPoll;
        }
    }

    public string Name { get; }

    public string Durability { get; }

    public static HangfireSystem InMemory(int workers) =>
        new("Hangfire.InMemory", "none (memory)", new InMemoryStorage(new InMemoryStorageOptions()), workers, fastPollers: true, () => { });

    public static HangfireSystem Sqlite(int workers, bool fastPollers)
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-versus", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "hangfire.db");
        var options = new SQLiteStorageOptions();
        if (fastPollers)
        {
            options.QueuePollInterval = FastPoll;
        }

        var storage = new SQLiteStorage(path, options);
        return new HangfireSystem(
            "Hangfire.Storage.SQLite" + Pollers(fastPollers), HangfireSqlitePragmas.Read(storage), storage, workers, fastPollers,
            () => Directory.Delete(directory, recursive: true));
    }

    public static HangfireSystem Postgres(int workers, string connectionString, string durability, bool fastPollers)
    {
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
        if (fastPollers)
        {
            options.QueuePollInterval = FastPoll;
        }

        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        return new HangfireSystem("Hangfire.PostgreSql" + Pollers(fastPollers), durability, storage, workers, fastPollers, () => { });
    }

    public Task SeedAsync(long firstKey, int count)
    {
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var key = firstKey + i;
            _client.Enqueue(() => BenchJobs.NoOp(key));
        });
        return Task.CompletedTask;
    }

    public void Prepare()
    {
    }

    public Task StartAsync()
    {
        _server = new BackgroundJobServer(_serverOptions, _storage);
        return Task.CompletedTask;
    }

    public Task SubmitNoOpAsync(long key)
    {
        _client.Enqueue(() => BenchJobs.NoOp(key));
        return Task.CompletedTask;
    }

    public Task<string> SubmitWaitForCancelAsync(long key) =>
        Task.FromResult(_client.Enqueue(() => BenchJobs.WaitForCancel(key, CancellationToken.None)));

    public Task CancelAsync(string handle)
    {
        // A refused delete would make a quiet token Hangfire's fault when it is the benchmark's.
        if (!_client.Delete(handle))
        {
            throw new InvalidOperationException($"Hangfire refused to delete job {handle}.");
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        (_storage as IDisposable)?.Dispose();
        // Hangfire.PostgreSql leaves its pooled connections open; the next case must not run out of them.
        Npgsql.NpgsqlConnection.ClearAllPools();
        _cleanUp();
        return ValueTask.CompletedTask;
    }

    private static string Pollers(bool fast) => fast ? $" (pollers {FastPoll.TotalMilliseconds:0} ms)" : " (shipped defaults)";
}
