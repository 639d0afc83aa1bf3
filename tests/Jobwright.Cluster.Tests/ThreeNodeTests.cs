namespace Jobwright.Cluster.Tests;

/// <summary>Three node processes on one database share the work without running any job twice.</summary>
public sealed class ThreeNodeTests
{
    private const int Jobs = 2000;

    [Fact]
    public async Task Two_thousand_jobs_submitted_across_three_nodes_each_end_once_and_each_program_ran_once()
    {
        await using var cluster = await Cluster.CreateAsync();
        var nodes = new[]
        {
            await cluster.StartNodeAsync("node-a"),
            await cluster.StartNodeAsync("node-b"),
            await cluster.StartNodeAsync("node-c"),
        };
        var runs = Path.Combine(cluster.Directory, "runs.txt");

        // Submitted round-robin over the three nodes, eight at a time.
        await Parallel.ForEachAsync(Enumerable.Range(0, Jobs), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await Api.SubmitAsync(nodes[i % 3].Http, new { operation = "Record", group = "Cluster", parameters = new { marker = i, file = runs } }));

        var counts = await Api.WaitForCountsAsync(nodes[0].Http, c => Api.Count(c, Api.Terminal) == Jobs, TimeSpan.FromMinutes(3));
        Assert.Equal(Jobs, Api.Count(counts, "COMPLETED_OK"));

        // Each program ran exactly once: every marker is in the file once.
        var markers = (await File.ReadAllLinesAsync(runs)).Select(int.Parse).ToList();
        Assert.Equal(Jobs, markers.Count);
        Assert.Equal(Enumerable.Range(0, Jobs), markers.Order());

        // Each job started and ended on a node: its start and its end (no reason to keep) are its own
        // time_started, time_completed and node, not history rows; the three nodes all took work.
        Assert.Equal(0L, await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE time_started IS NULL OR time_completed IS NULL OR node IS NULL"));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("SELECT count(*) FROM job_transitions"));
        Assert.Equal(3L, await cluster.ScalarAsync<long>("SELECT count(DISTINCT node) FROM jobs"));
        var history = (await Api.GetAsync(nodes[1].Http, await cluster.ScalarAsync<long>("SELECT max(id) FROM jobs")))["history"]!.AsArray();
        Assert.Equal(["NOT_STARTED", "RUNNING", "COMPLETED_OK"], history.Select(h => h!["to"]!.GetValue<string>()));
    }
}
