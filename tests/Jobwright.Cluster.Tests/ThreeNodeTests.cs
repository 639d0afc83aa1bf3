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

        // Each job started on a node (its start is its time_started and node, not a history row) and
        // has exactly one history row, its terminal transition; the three nodes all took work.
        Assert.Equal(0L, await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE time_started IS NULL OR node IS NULL"));
        Assert.Equal(0L, await cluster.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT job_id FROM job_transitions GROUP BY job_id " +
            "HAVING count(*) <> 1 OR count(*) FILTER (WHERE to_status NOT IN ('NOT_STARTED', 'RUNNING')) <> 1) twice"));
        Assert.Equal((long)Jobs, await cluster.ScalarAsync<long>("SELECT count(DISTINCT job_id) FROM job_transitions"));
        Assert.Equal(3L, await cluster.ScalarAsync<long>("SELECT count(DISTINCT node) FROM jobs"));
    }
}
