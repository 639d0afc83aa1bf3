using Jobwright.Status;

namespace Jobwright.Storage.Conformance;

/// <summary>
/// The jobs of one target wait in line: a claim leaves out the jobs behind one of the same target, operation and
/// priority, and nothing else — a job of another operation, a higher priority or a due start is still taken.
/// </summary>
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Jobs_queued_target_after_target_are_claimed_one_per_target_and_each_target_next_once_it_is_free()
    {
        await using var f = await NewFixtureAsync();
        var lines = new Dictionary<string, List<long>>();
        foreach (var target in new[] { "a", "b", "c" })
        {
            lines[target] = [];
            for (var i = 0; i < 3; i++)
            {
                lines[target].Add(await f.SubmitAsync(StoreFixture.Job(target)));
            }
        }

        var claimed = await f.Store.ClaimAsync(StoreFixture.Node, 10, None);
        Assert.Equal([lines["a"][0], lines["b"][0], lines["c"][0]], claimed.Select(c => c.Job.JobId));
        Assert.Empty(await f.Store.ClaimAsync(StoreFixture.Node, 10, None));

        var b1 = claimed[1];
        Assert.True(await f.Store.StartAsync(b1.Job.JobId, b1.Attempt, None));
        Assert.True((await f.Store.FinishAsync(b1.Job.JobId, b1.Attempt, StoreFixture.Finish(JobStatus.CompletedOk), None)).Applied);
        Assert.Equal([lines["b"][1]], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }

    [Fact]
    public async Task A_job_of_another_operation_on_the_target_starts_while_the_first_in_line_waits_for_its_operation_limit()
    {
        await using var f = await NewFixtureAsync();
        var limited = StoreFixture.Job("elsewhere", operation: "Limited") with { OperationLimit = 1 };
        await f.StartAsync(await f.SubmitAsync(limited));
        var first = await f.SubmitAsync(limited with { Target = "lpar" });
        var other = await f.SubmitAsync(StoreFixture.Job("lpar", operation: "Other"));

        Assert.Equal([other], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
        Assert.Equal(JobStatus.NotStarted, (await f.GetAsync(first)).Status);
    }

    [Fact]
    public async Task A_later_job_of_the_target_is_not_held_behind_one_scheduled_later_or_one_of_lower_priority()
    {
        await using var f = await NewFixtureAsync();
        var scheduled = await f.SubmitAsync(StoreFixture.Job("vios") with { NotBefore = f.Time.GetUtcNow().AddHours(1) });
        var now = await f.SubmitAsync(StoreFixture.Job("vios"));
        var low = await f.SubmitAsync(StoreFixture.Job("hmc"));
        var high = await f.SubmitAsync(StoreFixture.Job("hmc") with { Priority = 5 });

        Assert.Equal([now, high], (await f.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId).Order());
        Assert.Equal(JobStatus.NotStarted, (await f.GetAsync(scheduled)).Status);
        Assert.Equal(JobStatus.NotStarted, (await f.GetAsync(low)).Status);
    }
}
