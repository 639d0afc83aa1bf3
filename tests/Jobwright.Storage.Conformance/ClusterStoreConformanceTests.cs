using Jobwright.Status;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Storage.Conformance;

/// <summary>
/// What every shared store (<see cref="IClusterStore"/>) must do, written once: membership, heartbeats,
/// a node's return under its own name, cancels reported to the running node, and claims that two nodes
/// never share. A shared store's test project derives from it and says how to open several stores on one
/// fresh database, as the nodes of one cluster do. The loss of a node by lease expiry, which needs the
/// store's own clock to pass, is shown by the cluster tests with real node processes.
/// </summary>
public abstract class ClusterStoreConformanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Opens <paramref name="count"/> initialized stores on one fresh, empty shared database, each with its own change feed.</summary>
    protected abstract Task<IReadOnlyList<IJobStore>> CreateSharedStoresAsync(int count, FakeTimeProvider time);

    [Fact]
    public async Task A_joined_node_is_listed_by_every_node_with_what_it_told_the_cluster()
    {
        await using var nodes = await NodesAsync(2);
        await nodes.JoinAsync(0, new ClusterMember("node-a", "9.8.7", 12, ["Sample/Simulate", "LogicalPartition/PowerOn"]));

        var listed = Assert.Single(await nodes.Cluster(1).ListNodesAsync(None));
        Assert.Equal(("node-a", "9.8.7", 12), (listed.Name, listed.Version, listed.WorkerSlots));
        Assert.Equal(["LogicalPartition/PowerOn", "Sample/Simulate"], listed.Operations.Order());
        Assert.Equal((Environment.MachineName, Environment.ProcessId), (listed.Host, listed.ProcessId));
        Assert.True(listed.LeaseExpires > listed.LastHeartbeat, "the lease runs past the last heartbeat");
    }

    [Fact]
    public async Task A_heartbeat_renews_the_lease_and_records_the_jobs_running_and_claimed()
    {
        await using var nodes = await NodesAsync(1);
        await nodes.JoinAsync(0, Member("node-a"));
        var before = Assert.Single(await nodes.Cluster(0).ListNodesAsync(None));

        var beat = await nodes.Cluster(0).HeartbeatAsync(3, 2, None);

        Assert.False(beat.Lost);
        var after = Assert.Single(await nodes.Cluster(0).ListNodesAsync(None));
        Assert.Equal((3, 2), (after.JobsRunning, after.JobsClaimed));
        Assert.True(after.LeaseExpires >= before.LeaseExpires);
    }

    [Fact]
    public async Task A_node_that_leaves_is_no_longer_listed_and_the_others_stay()
    {
        await using var nodes = await NodesAsync(2);
        await nodes.JoinAsync(0, Member("node-a"));
        await nodes.JoinAsync(1, Member("node-b"));

        await nodes.Cluster(0).LeaveAsync(None);

        Assert.Equal(["node-b"], (await nodes.Cluster(1).ListNodesAsync(None)).Select(n => n.Name));
    }

    [Fact]
    public async Task A_node_that_joins_again_under_its_name_ends_what_its_earlier_run_left_and_that_run_is_lost()
    {
        await using var nodes = await NodesAsync(2);
        await nodes.JoinAsync(0, Member("node-a"));
        var running = await nodes.SubmitAsync(0, "t1");
        var claimed = await nodes.SubmitAsync(0, "t2");
        var claims = await nodes.Store(0).ClaimAsync("node-a", 2, None);
        Assert.Equal([running, claimed], claims.Select(c => c.Job.JobId));
        Assert.True(await nodes.Store(0).StartAsync(running, claims[0].Attempt, None));

        // The same node started again (its process restarted): the new run joins under the name.
        await nodes.JoinAsync(1, Member("node-a"));

        var ended = (await nodes.Store(1).GetAsync(running, includeHistory: true, None))!;
        Assert.Equal(JobStatus.FailedBeforeCompletion, ended.Status);
        Assert.StartsWith(JobEnds.NodeRestarted, ended.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("1", ended.Results["returnCode"]);
        Assert.Contains(ended.History!, t => t.To == JobStatus.FailedBeforeCompletion && t.Reason!.StartsWith(JobEnds.NodeRestarted, StringComparison.Ordinal));
        Assert.Equal([claimed], (await nodes.Store(1).QueueHeadAsync(10, None)).Select(q => q.JobId));
        Assert.True((await nodes.Cluster(0).HeartbeatAsync(0, 0, None)).Lost);
        Assert.False(await nodes.Store(0).StartAsync(claimed, claims[1].Attempt, None));
    }

    [Fact]
    public async Task A_cancel_asked_on_another_node_is_reported_to_the_running_node_by_its_heartbeat()
    {
        await using var nodes = await NodesAsync(2);
        await nodes.JoinAsync(0, Member("node-a"));
        await nodes.JoinAsync(1, Member("node-b"));
        var job = await nodes.SubmitAsync(0, "t1");
        var claim = Assert.Single(await nodes.Store(0).ClaimAsync("node-a", 1, None));
        Assert.True(await nodes.Store(0).StartAsync(job, claim.Attempt, None));

        Assert.Equal(CancelOutcome.Requested, (await nodes.Store(1).CancelAsync(job, "someone", None)).Outcome);

        Assert.Equal([job], (await nodes.Cluster(0).HeartbeatAsync(1, 0, None)).CancelRequested);
        Assert.Empty((await nodes.Cluster(1).HeartbeatAsync(0, 0, None)).CancelRequested);
    }

    [Fact]
    public async Task Two_nodes_never_claim_the_same_job()
    {
        await using var nodes = await NodesAsync(2);
        await nodes.JoinAsync(0, Member("node-a"));
        await nodes.JoinAsync(1, Member("node-b"));
        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await nodes.SubmitAsync(i % 2, $"t{i}"));
        }

        var claims = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(i => nodes.Store(i % 2).ClaimAsync(i % 2 == 0 ? "node-a" : "node-b", 5, None)));

        var claimed = claims.SelectMany(c => c).Select(c => c.Job.JobId).ToArray();
        Assert.Equal(claimed.Length, claimed.Distinct().Count());
        Assert.Equal(ids.Order(), claimed.Order());
    }

    private static ClusterMember Member(string name) => new(name, "1.0.0", 4, ["Sample/Simulate"]);

    private async Task<SharedStores> NodesAsync(int count) =>
        new(await CreateSharedStoresAsync(count, new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero))));

    /// <summary>The stores of one cluster's nodes, by index.</summary>
    private sealed class SharedStores(IReadOnlyList<IJobStore> stores) : IAsyncDisposable, IClusterSignals
    {
        public IJobStore Store(int index) => stores[index];

        public IClusterStore Cluster(int index) =>
            stores[index] as IClusterStore ?? throw new InvalidOperationException($"{stores[index].Kind} is not a shared store");

        public Task JoinAsync(int index, ClusterMember member) => Cluster(index).JoinAsync(member, this, None);

        public async Task<long> SubmitAsync(int index, string target) =>
            (await Store(index).SubmitAsync(StoreFixture.Job(target), None)).Job.JobId;

        void IClusterSignals.WorkAvailable()
        {
        }

        void IClusterSignals.CancelRequested(long jobId)
        {
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }
}
