using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Jobwright.Storage;
using Jobwright.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>A page of NOT_STARTED jobs gets its reasons in a fixed number of read queries, however many jobs it holds.</summary>
public sealed class ReasonQueryCountTests
{
    [Fact]
    public async Task Listing_sixty_waiting_jobs_asks_the_store_as_often_as_listing_five()
    {
        CountingQueries? counting = null;
        await using var node = await TestNode.StartAsync(
            b => b.Services.AddSingleton(sp =>
            {
                var queries = CountingQueries.Around(sp.GetRequiredService<IJobStore>());
                counting = (CountingQueries)queries;
                return queries;
            }),
            s => s with { Workers = 1 });
        // One job holds the only worker slot and target t0; every later job waits, some for t0, the rest for the slot.
        var holder = await node.SubmitIdAsync(new { operation = "Simulate", target = "t0", parameters = new { durationMs = 600000, tasks = 1 } });
        await node.WaitForStatusAsync(holder, "RUNNING");

        await SubmitWaitingAsync(node, 5);
        var (small, smallCalls) = await ListWaitingAsync(node, counting!);
        await SubmitWaitingAsync(node, 55);
        var (large, largeCalls) = await ListWaitingAsync(node, counting!);

        Assert.Equal(5, small.Count);
        Assert.Equal(60, large.Count);
        Assert.All(large, job => Assert.NotNull(job!["notStartedReason"]?["code"]));
        Assert.Contains(large, job => job!["notStartedReason"]!["code"]!.GetValue<string>() == "TARGET_BUSY");
        Assert.Contains(large, job => job!["notStartedReason"]!["message"]!.GetValue<string>().Contains("jobs ahead", StringComparison.Ordinal));
        Assert.Equal(smallCalls, largeCalls);
        Assert.InRange(largeCalls, 1, 5);
    }

    private static async Task SubmitWaitingAsync(LoopbackNode node, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await node.SubmitIdAsync(new { operation = "Simulate", target = i % 3 == 0 ? "t0" : $"w{Guid.NewGuid():N}", parameters = new { durationMs = 0, tasks = 1 } });
        }
    }

    private static async Task<(JsonArray Jobs, int Calls)> ListWaitingAsync(LoopbackNode node, CountingQueries counting)
    {
        var before = counting.Calls;
        var page = await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/jobs?status=NOT_STARTED&limit=1000");
        return (page!["jobs"]!.AsArray(), counting.Calls - before);
    }

    /// <summary>The real store's read side, counting the calls made to it.</summary>
    public class CountingQueries : DispatchProxy
    {
        private IJobQueries? _inner;
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public static IJobQueries Around(IJobQueries inner)
        {
            var proxy = Create<IJobQueries, CountingQueries>();
            ((CountingQueries)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Interlocked.Increment(ref _calls);
            return targetMethod!.Invoke(_inner, args);
        }
    }
}
