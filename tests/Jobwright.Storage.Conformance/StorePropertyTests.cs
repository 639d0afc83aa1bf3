using CsCheck;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage.Conformance.Model;
using Jobwright.Testing;
using Xunit.Abstractions;

namespace Jobwright.Storage.Conformance;

/// <summary>
/// A model-based test of the store: random sequences of submit, claim, start, release, progress, cancel,
/// finish (stale attempts too), recovery, delete, purge and the clock's steps, each run on the real
/// store and on the <see cref="ReferenceStore"/>. Every answer and, after every step, every job's
/// status, claim and cancel flag must agree; no job has two terminal statuses or an illegal step in
/// its history. The fast tier (the README's test command) runs 300 sequences;
/// JOBWRIGHT_MODEL_SEQUENCES sets more (docs/reliability.md).
/// </summary>
public abstract class StorePropertyTests : JobStoreConformanceTests
{
    private static readonly JobStatus[] Terminal = [.. JobStatuses.Terminal];
    private static readonly CancellationToken None = CancellationToken.None;

    // One store serves every sequence: each sequence ends by ending and purging all it made, so the
    // next starts from an empty store (checked) without paying for a new file or schema.
    private StoreFixture? _fixture;
    private long _operations;

    private static int Sequences => FaultTier.Setting("JOBWRIGHT_MODEL_SEQUENCES", 300, minimum: 1);

    /// <summary>Where the test says how many sequences and operations it ran (null: nowhere).</summary>
    protected virtual ITestOutputHelper? Output => null;

    [Fact]
    [Trait("Category", "Faults")]
    public async Task Random_operation_sequences_answer_as_the_reference_model_does()
    {
        var step = Gen.Select(Gen.Int[0, 10], Gen.Int[0, 1000], Gen.Int[0, 1000]);
        try
        {
            await step.Array[1, 40].SampleAsync(RunSequenceAsync, iter: Sequences, threads: 1);
        }
        finally
        {
            if (_fixture is not null)
            {
                await _fixture.DisposeAsync();
            }
        }

        Output?.WriteLine($"model-based test: {Sequences} sequences, {_operations} operations, 0 disagreements with the reference model");
    }

    private async Task RunSequenceAsync((int Kind, int A, int B)[] steps)
    {
        _fixture ??= await NewFixtureAsync();
        try
        {
            var model = new ReferenceStore();
            foreach (var (kind, a, b) in steps)
            {
                await StepAsync(_fixture, model, kind, a, b);
                await CompareAsync(_fixture, model, $"after step {kind}({a}, {b})");
                _operations++;
            }

            await CheckHistoriesAsync(_fixture, model);
            await EmptyAsync(_fixture, model);
        }
        catch
        {
            // A failed sequence may leave anything behind: the next one (CsCheck's shrinking) starts on a fresh store.
            await _fixture.DisposeAsync();
            _fixture = null;
            throw;
        }
    }

    private static async Task StepAsync(StoreFixture f, ReferenceStore model, int kind, int a, int b)
    {
        var store = f.Store;
        var now = f.Time.GetUtcNow();
        switch (kind)
        {
            case 0:
                var target = a % 4 == 3 ? null : $"t{a % 3}";
                var submitted = await store.SubmitAsync(StoreFixture.Job(target), None);
                model.Submitted(submitted.Job.JobId, target);
                break;
            case 1:
                var max = 1 + (a % 3);
                var expected = model.PredictClaim(max);
                var claimed = await store.ClaimAsync(StoreFixture.Node, max, None);
                Assert.Equal(expected, claimed.Select(c => c.Job.JobId).Order().ToArray());
                Assert.Single(claimed.Select(c => c.Attempt).Distinct().DefaultIfEmpty(0));
                model.Claimed(expected, claimed.Count == 0 ? 0 : claimed[0].Attempt);
                break;
            case 2 when Pick(model, a, b) is (var id, var attempt):
                Assert.Equal(model.Start(id, attempt), await store.StartAsync(id, attempt, None));
                break;
            case 3 when Pick(model, a, b) is (var id, var attempt):
                Assert.Equal(model.Release(id, attempt), await store.ReleaseAsync(id, attempt, None));
                break;
            case 4 when Pick(model, a, b) is (var id, var attempt):
                var snapshot = new JobSnapshot(new JobProgress([], new CurrentTask("step", b % 101, now), null), new Dictionary<string, string>(), []);
                Assert.Equal(model.Progress(id, attempt), await store.ReportProgressAsync(id, attempt, snapshot, None));
                break;
            case 5 when Pick(model, a, b) is (var id, _):
                Assert.Equal(model.Cancel(id, now), (await store.CancelAsync(id, "model", None)).Outcome);
                break;
            case 6 when Pick(model, a, b) is (var id, var attempt):
                var status = Terminal[b % Terminal.Length];
                var applied = (await store.FinishAsync(id, attempt, StoreFixture.Finish(status), None)).Applied;
                Assert.True(model.Finish(id, attempt, status, now) == applied, $"finish {id} as {status.ToWire()}: the store said applied={applied}");
                break;
            case 7:
                Assert.Equal(model.Recover(now), await store.RecoverAsync(null, JobEnds.NodeStopped, None));
                break;
            case 8:
                f.Time.Advance(TimeSpan.FromSeconds(a % 40));
                break;
            case 9 when Pick(model, a, b) is (var id, _):
                Assert.Equal(model.Delete(id), await store.DeleteAsync(id, None));
                break;
            case 10:
                var before = now - TimeSpan.FromSeconds(a % 60);
                var limit = 1 + (b % 3);
                Assert.Equal(model.Purge(before, limit), await store.PurgeAsync(before, limit, None));
                break;
        }
    }

    // A job of the model (or, now and then, one it no longer has) and its attempt, stale one time in five.
    private static (long Id, long Attempt)? Pick(ReferenceStore model, int a, int b)
    {
        if (model.Jobs.Count == 0)
        {
            return null;
        }

        var job = model.Jobs.ElementAt(a % model.Jobs.Count);
        var id = a % 17 == 0 ? job.Id + 1000 : job.Id;
        var attempt = job.LastAttempt ?? 1;
        return (id, b % 5 == 0 ? attempt ^ 2 : attempt);
    }

    private static async Task CompareAsync(StoreFixture f, ReferenceStore model, string when)
    {
        var page = await f.Store.ListAsync(new JobQuery { Limit = 1000 }, None);
        var stored = page.Jobs.ToDictionary(j => j.JobId);
        Assert.True(
            stored.Keys.Order().SequenceEqual(model.Jobs.Select(j => j.Id)),
            $"{when}: the store has jobs [{string.Join(", ", stored.Keys.Order())}], the model [{string.Join(", ", model.Jobs.Select(j => j.Id))}]");
        foreach (var expected in model.Jobs)
        {
            var job = stored[expected.Id];
            var what = $"{when}: job {job.JobId}";
            Assert.True(expected.Status == job.Status, $"{what} is {job.Status.ToWire()}, the model says {expected.Status.ToWire()}");
            Assert.True(expected.CancelRequested == job.CancelRequested, $"{what}: cancelRequested={job.CancelRequested}, the model says {expected.CancelRequested}");
            if (expected.Status is JobStatus.NotStarted or JobStatus.Running)
            {
                Assert.True((expected.Claim is not null) == (job.Node is not null), $"{what}: node '{job.Node}', the model says claimed={expected.Claim is not null}");
            }
        }
    }

    private static async Task CheckHistoriesAsync(StoreFixture f, ReferenceStore model)
    {
        foreach (var expected in model.Jobs)
        {
            var job = await f.Store.GetAsync(expected.Id, includeHistory: true, None);
            var history = job!.History!;
            Assert.Null(history[0].From);
            for (var i = 1; i < history.Count; i++)
            {
                Assert.Equal(history[i - 1].To, history[i].From);
                Assert.True(JobStatuses.CanTransition(history[i].From!.Value, history[i].To), $"job {job.JobId}: {history[i].From!.Value.ToWire()} -> {history[i].To.ToWire()}");
            }

            Assert.Equal(job.Status, history[^1].To);
            Assert.True(history.Count(h => h.To.IsTerminal()) <= 1, $"job {job.JobId} has two terminal statuses");
        }
    }

    // Ends every job the sequence left active and purges all: the store must then be empty.
    private static async Task EmptyAsync(StoreFixture f, ReferenceStore model)
    {
        foreach (var job in model.Jobs.ToList())
        {
            if (job.Status == JobStatus.Running)
            {
                Assert.True((await f.Store.FinishAsync(job.Id, job.Claim!.Value, StoreFixture.Finish(JobStatus.CompletedOk), None)).Applied);
            }
            else if (job.Status == JobStatus.NotStarted)
            {
                Assert.Equal(CancelOutcome.CanceledBeforeStart, (await f.Store.CancelAsync(job.Id, "model", None)).Outcome);
            }
        }

        await f.Store.PurgeAsync(f.Time.GetUtcNow() + TimeSpan.FromDays(1), int.MaxValue, None);
        Assert.Empty((await f.Store.ListAsync(new JobQuery { Limit = 10 }, None)).Jobs);
    }
}
