using Xunit.Abstractions;
using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Sqlite.Tests;

/// <summary>The storage conformance suite (and its property test) against a real SQLite file per test.</summary>
public sealed class SqliteConformanceTests(ITestOutputHelper output) : StorePropertyTests, IDisposable
{
    protected override ITestOutputHelper Output => output;

    private readonly TempDirectory _directory = new();

    protected override async Task<IJobStore> CreateStoreAsync(FakeTimeProvider time, JobChangeFeed changes)
    {
        var store = new SqliteJobStore(new SqliteStoreOptions { Path = _directory.File($"{Guid.NewGuid():N}.db") }, time, changes);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public void Dispose() => _directory.Dispose();
}
