using Jobwright.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Jobwright.Sqlite.Tests;

/// <summary>The database file as the operator handles it: links to it, damage, and a file that went missing.</summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private SqliteJobStore Store(string path, FakeLogCollector? logs = null) =>
        new(new SqliteStoreOptions { Path = path }, TimeProvider.System, new JobChangeFeed(), new FakeLogger<SqliteJobStore>(logs ?? new FakeLogCollector()));

    [Fact]
    public async Task A_second_store_on_a_symbolic_link_to_the_database_is_refused_as_the_file_is_taken()
    {
        var database = _directory.File("jobs.db");
        await using var first = Store(database);
        await first.InitializeAsync(CancellationToken.None);
        var link = _directory.File("link.db");
        File.CreateSymbolicLink(link, database);

        await using var second = Store(link);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.InitializeAsync(CancellationToken.None));
        Assert.Contains("Another Jobwright node is using", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_database_is_refused_at_start_naming_the_file()
    {
        var database = _directory.File("damaged.db");
        await File.WriteAllBytesAsync(database, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 % 251))]);

        await using var store = Store(database);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Contains(database, error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged or is not a database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_database_is_logged_as_created()
    {
        var logs = new FakeLogCollector();
        await using var store = Store(_directory.File("new.db"), logs);
        await store.InitializeAsync(CancellationToken.None);

        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 5001 && r.Level == LogLevel.Information);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 5002);
    }

    [Fact]
    public async Task A_database_gone_from_a_path_a_node_ran_on_is_created_anew_with_a_warning_naming_what_remains()
    {
        var database = _directory.File("moved.db");
        await using (var store = Store(database))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        await File.WriteAllTextAsync(database + ".key", "a key the node made");
        File.Delete(database);
        var logs = new FakeLogCollector();
        await using (var again = Store(database, logs))
        {
            await again.InitializeAsync(CancellationToken.None);
        }

        var warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5002);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(database, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_database_is_opened_without_either_record()
    {
        var database = _directory.File("kept.db");
        await using (var store = Store(database))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        var logs = new FakeLogCollector();
        await using var again = Store(database, logs);
        await again.InitializeAsync(CancellationToken.None);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id is 5001 or 5002);
    }

    public void Dispose() => _directory.Dispose();
}
