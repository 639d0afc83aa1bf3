using CsCheck;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Storage.Conformance;

/// <summary>
/// Random interleavings of submit, claim, start, progress, cancel, finish (with stale attempts too)
/// and crash recovery never make an illegal transition, never give a job two terminal statuses,
/// never let two jobs hold one target, and never lose a job.
/// </summary>
public abstract class StorePropertyTests : JobStoreConformanceTests
{
    private static readonly JobStatus[] Terminal = [.. JobStatuses.Terminal];

    /// <summary>How many random sequences to try.</summary>
    protected virtual int Iterations => 60;

    [Fact]
    public async Task Random_interleavings_never_break_the_transition_table_or_lose_a_job()
    {
        var step = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 1000], Gen.Int[0, 1000]);
        await step.Array[1, 50].SampleAsync(RunSequenceAsync, iter: Iterations, threads: 1);
    }

    private async Task RunSequenceAsync((int Kind, int A, int B)[] steps)
    {
        await using var f = await NewFixtureAsync();
        var ct = CancellationToken.None;
        var acknowledged = new List<long>();
        var attempts = new Dictionary<long, long>();
        var previous = new Dictionary<long, JobRecord>();

        foreach (var (kind, a, b) in steps)
        {
            switch (kind)
            {
                case 0:
                    var job = StoreFixture.Job(a % 4 == 3 ? null : $"t{a % 3}") with
                    {
                        BusyRetryAfterSeconds = b % 3 == 0 ? 10 : null,
                        BusyMaxWait = TimeSpan.FromSeconds(30),
                    };
                    acknowledged.Add((await f.Store.SubmitAsync(job, ct)).Job.JobId);
                    break;
                case 1:
                    foreach (var claim in await f.Store.ClaimAsync(StoreFixture.Node, 1 + (a % 3), ct))
                    {
                        attempts[claim.Job.JobId] = claim.Attempt;
                    }

                    break;
                case 2 when Pick(attempts, a) is { } id:
                    await f.Store.StartAsync(id, attempts[id], ct);
                    break;
                case 3 when Pick(attempts, a) is { } id:
                    var snapshot = new JobSnapshot(new JobProgress([], new CurrentTask("step", b % 101, f.Time.GetUtcNow()), null), new Dictionary<string, string>(), []);
                    await f.Store.ReportProgressAsync(id, b % 5 == 0 ? attempts[id] + 1 : attempts[id], snapshot, ct);
                    break;
                case 4 when acknowledged.Count > 0:
                    await f.Store.CancelAsync(acknowledged[a % acknowledged.Count], "random", ct);
                    break;
                case 5 when Pick(attempts, a) is { } id:
                    var finish = StoreFixture.Finish(Terminal[b % Terminal.Length]);
                    await f.Store.FinishAsync(id, b % 7 == 0 ? attempts[id] + 1 : attempts[id], finish, ct);
                    break;
                case 6:
                    await f.Store.RecoverAsync(null, "interrupted: node stopped", ct);
                    break;
                case 7:
                    f.Time.Advance(TimeSpan.FromSeconds(a % 40));
                    break;
            }

            await CheckInvariantsAsync(f, acknowledged, previous);
        }
    }

    private static long? Pick(Dictionary<long, long> attempts, int a) =>
        attempts.Count == 0 ? null : attempts.Keys.ElementAt(a % attempts.Count);

    private static async Task CheckInvariantsAsync(StoreFixture f, List<long> acknowledged, Dictionary<long, JobRecord> previous)
    {
        var holders = new Dictionary<string, int>();
        foreach (var id in acknowledged)
        {
            var job = await f.Store.GetAsync(id, includeHistory: true, CancellationToken.None);
            Assert.True(job is not null, $"job {id} was acknowledged and is lost");
            if (previous.TryGetValue(id, out var before))
            {
                if (before.Status.IsTerminal())
                {
                    Assert.Equal(before.Status, job.Status);
                    Assert.Equal(before.Version, job.Version);
                }
                else if (before.Status != job.Status)
                {
                    Assert.True(JobStatuses.CanTransition(before.Status, job.Status), $"job {id}: {before.Status.ToWire()} -> {job.Status.ToWire()}");
                }
            }

            var history = job.History!;
            Assert.Null(history[0].From);
            for (var i = 1; i < history.Count; i++)
            {
                Assert.Equal(history[i - 1].To, history[i].From);
                Assert.True(JobStatuses.CanTransition(history[i].From!.Value, history[i].To));
            }

            Assert.Equal(job.Status, history[^1].To);
            Assert.True(history.Count(h => h.To.IsTerminal()) <= 1, $"job {id} has two terminal statuses");
            if (job.Target is not null && (job.Status == JobStatus.Running || (job.Status == JobStatus.NotStarted && job.Node is not null)))
            {
                holders[job.Target] = holders.GetValueOrDefault(job.Target) + 1;
                Assert.True(holders[job.Target] <= 1, $"two jobs hold target {job.Target}");
            }

            previous[id] = job;
        }
    }
}
