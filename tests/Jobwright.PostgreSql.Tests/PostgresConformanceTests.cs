using Xunit.Abstractions;
using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.PostgreSql.Tests;

/// <summary>The storage conformance suite (and its property test), unchanged, against a real PostgreSQL server: a fresh schema per store.</summary>
public sealed class PostgresConformanceTests(ITestOutputHelper output) : StorePropertyTests
{
    protected override ITestOutputHelper Output => output;

    protected override async Task<IJobStore> CreateStoreAsync(FakeTimeProvider time, JobChangeFeed changes)
    {
        var store = new PostgresJobStore(
            new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() },
            time,
            changes);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
