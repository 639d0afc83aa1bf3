using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>
/// What every store must do, written once against <see cref="IJobStore"/>, one file per area
/// (JobStoreConformanceTests.Submit.cs, .Claim.cs, .Cancel.cs, .Finish.cs, .Read.cs, .Retention.cs). A store's
/// test project derives from this class and says how to create a fresh, initialized store.
/// </summary>
public abstract partial class JobStoreConformanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A fresh, empty, initialized store using <paramref name="time"/> as its clock.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync(FakeTimeProvider time, JobChangeFeed changes);

    protected async Task<StoreFixture> NewFixtureAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var changes = new JobChangeFeed();
        return new StoreFixture(await CreateStoreAsync(time, changes), time, changes);
    }
}
