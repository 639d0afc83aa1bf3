using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Jobwright.Client;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.TestSupport;
using Jobwright.Testing;
using Xunit.Abstractions;

namespace Jobwright.Server.Tests.Faults;

/// <summary>
/// The fault suite's kill rounds on SQLite: a node under a load of submits is killed with SIGKILL at a random
/// moment (with a random one of the round's answers, while it commits submits, claims, starts, runs handlers
/// or finishes them), then started again on
/// the same file. Every acknowledged job must exist after every restart, a job that has ended must never
/// change, no job may end twice, and after the last round every job ends. The fast tier (the README's test
/// command) runs 3 rounds; JOBWRIGHT_FAULT_ROUNDS sets more (docs/reliability.md), JOBWRIGHT_FAULT_SEED the seed.
/// </summary>
public sealed class KillRoundsTests(ITestOutputHelper output) : IDisposable
{
    // At most this many submits per submitter and round, so that 200 rounds stay a store of tens of thousands of jobs.
    private const int SubmitsPerRound = 250;

    private const int Submitters = 2;

    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-faults-").FullName;

    private static int Rounds => FaultTier.Setting("JOBWRIGHT_FAULT_ROUNDS", 3, minimum: 1);

    private static int Seed => FaultTier.Setting("JOBWRIGHT_FAULT_SEED", 1729, minimum: int.MinValue);

    [Fact]
    [Trait("Category", "Faults")]
    public async Task Killing_a_node_at_random_moments_loses_no_acknowledged_job_changes_no_ended_one_and_ends_none_twice()
    {
        var random = new Random(Seed);
        string[] arguments = ["serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "faults.db"), "--samples", "--name", "fault-node", "--workers", "16"];
        var acknowledged = new ConcurrentDictionary<long, byte>();
        var ended = new Dictionary<long, (JobStatus Status, DateTimeOffset Completed)>();
        for (var round = 0; round < Rounds; round++)
        {
            await using var node = await NodeProcess.StartAsync(arguments);
            var client = new JobwrightClient(node.Http);
            CheckEverySeenJob(await ListAllAsync(client), acknowledged, ended, $"after restart {round}");

            using var stopLoad = new CancellationTokenSource();
            var answered = new CountSignal();
            var load = Task.WhenAll(Enumerable.Range(0, Submitters).Select(worker => SubmitUntilStoppedAsync(client, acknowledged, answered, new Random(Seed + (round * 10) + worker), stopLoad.Token)));
            // The kill comes with a random one of this round's answers: the node is then committing submits, and
            // claiming, starting, running and finishing the jobs answered before.
            await answered.WaitForAsync(random.Next(1, Submitters * SubmitsPerRound), TimeSpan.FromSeconds(60));
            await node.KillAsync();
            await stopLoad.CancelAsync();
            await load;
        }

        await using var last = await NodeProcess.StartAsync(arguments);
        var lastClient = new JobwrightClient(last.Http);
        var jobs = await WaitUntilAllEndedAsync(lastClient);
        CheckEverySeenJob(jobs, acknowledged, ended, "after the last restart");
        var endedTwice = 0;
        foreach (var id in acknowledged.Keys)
        {
            var job = await lastClient.GetAsync(id);
            endedTwice += job.History!.Count(h => h.To.IsTerminal()) > 1 ? 1 : 0;
        }

        var statuses = jobs.GroupBy(j => j.Status).Select(g => $"{g.Key.ToWire()} {g.Count()}");
        // A submit committed just before a kill, whose answer never left the node, is a job nobody was told of: it may exist.
        output.WriteLine($"seed {Seed}, {Rounds} rounds, {acknowledged.Count} acknowledged jobs (0 lost), {jobs.Count - acknowledged.Count} stored but unanswered, {endedTwice} ended twice; {string.Join(", ", statuses)}");
        Assert.Equal(0, endedTwice);
    }

    private static void CheckEverySeenJob(List<JobRecord> jobs, ConcurrentDictionary<long, byte> acknowledged, Dictionary<long, (JobStatus Status, DateTimeOffset Completed)> ended, string when)
    {
        var byId = jobs.ToDictionary(j => j.JobId);
        var lost = acknowledged.Keys.Where(id => !byId.ContainsKey(id)).ToArray();
        Assert.True(lost.Length == 0, $"{when}: acknowledged jobs lost: {string.Join(", ", lost)}");
        foreach (var (id, was) in ended)
        {
            var now = (byId[id].Status, byId[id].TimeCompleted);
            Assert.True(now == (was.Status, was.Completed), $"{when}: job {id} had ended {was.Status.ToWire()} at {was.Completed:O}, and is now {now.Status.ToWire()} at {now.TimeCompleted:O}");
        }

        foreach (var job in jobs)
        {
            if (job.TimeCompleted is { } completed)
            {
                ended.TryAdd(job.JobId, (job.Status, completed));
            }
        }
    }

    private static async Task SubmitUntilStoppedAsync(JobwrightClient client, ConcurrentDictionary<long, byte> acknowledged, CountSignal answered, Random random, CancellationToken stop)
    {
        for (var i = 0; i < SubmitsPerRound && !stop.IsCancellationRequested; i++)
        {
            try
            {
                var parameters = new JsonObject { ["durationMs"] = random.Next(0, 30), ["tasks"] = random.Next(1, 3) };
                var job = await client.SubmitAsync(new JobSubmission { Operation = "Simulate", Parameters = parameters }, stop);
                acknowledged.TryAdd(job.JobId, 0);
                answered.Increment();
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                // The node was killed: what it had not answered 202 was never acknowledged.
                return;
            }
        }
    }

    private static async Task<List<JobRecord>> ListAllAsync(JobwrightClient client) =>
        await client.ListAllAsync(new JobListFilter { Limit = 1000 }).ToListAsync();

    private static async Task<List<JobRecord>> WaitUntilAllEndedAsync(JobwrightClient client)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            // Long-poll an unfinished job until it changes, then look again: the node's own changes are the signal.
            var jobs = await ListAllAsync(client);
            if (jobs.FirstOrDefault(j => !j.Status.IsTerminal()) is not { } open)
            {
                return jobs;
            }

            await client.GetChangedAsync(open.JobId, open.Version, TimeSpan.FromSeconds(10), limit.Token);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
