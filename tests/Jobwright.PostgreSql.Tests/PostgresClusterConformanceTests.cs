using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.PostgreSql.Tests;

/// <summary>The cluster conformance suite against a real PostgreSQL server: the nodes of a test share a fresh schema.</summary>
public sealed class PostgresClusterConformanceTests : ClusterStoreConformanceTests
{
    protected override async Task<IReadOnlyList<IJobStore>> CreateSharedStoresAsync(int count, FakeTimeProvider time)
    {
        var options = new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() };
        var stores = new List<IJobStore>();
        for (var i = 0; i < count; i++)
        {
            var store = new PostgresJobStore(options, time, new JobChangeFeed());
            await store.InitializeAsync(CancellationToken.None);
            stores.Add(store);
        }

        return stores;
    }
}
