using System.Collections.Concurrent;
using Jobwright.Handlers;
using Jobwright.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>Operations only the tests use: a probe that records its runs and waits for a gate, and one that never ends.</summary>
public static class TestOperations
{
    public static JobwrightBuilder AddTestOperations(this JobwrightBuilder builder)
    {
        builder.Services.AddSingleton<ProbeLog>();
        builder.Services.AddSingleton<SlotLog>();
        builder.AddOperation<SlotHandler>("Slot", "Test");
        builder.AddOperation<ProbeHandler>("Probe", "Test");
        builder.AddOperation<HangHandler>("Hang", "Test", op => op with { Timeout = TimeSpan.FromMilliseconds(300) });
        return builder;
    }
}

/// <summary>What the probe handler saw: which jobs ran, and when their tokens fired.</summary>
public sealed class ProbeLog
{
    public ConcurrentDictionary<long, TaskCompletionSource> Started { get; } = new();

    public ConcurrentDictionary<long, TaskCompletionSource> TokenFired { get; } = new();

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource For(ConcurrentDictionary<long, TaskCompletionSource> map, long jobId) =>
        map.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Runs one task that waits for the gate or the token.</summary>
public sealed class ProbeHandler(ProbeLog log) : IJobHandler
{
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        log.For(log.Started, context.JobId).TrySetResult();
        await context.RunTaskAsync("Wait for the gate", async (_, ct) =>
        {
            try
            {
                await log.Gate.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                log.For(log.TokenFired, context.JobId).TrySetResult();
                throw;
            }
        }, cancellationToken);
        return JobOutcome.Completed();
    }
}

/// <summary>How many slot handlers run at once, the most seen, and the gate that lets one end.</summary>
public sealed class SlotLog
{
    private int _current;
    private int _most;

    public System.Threading.Channels.Channel<long> Started { get; } = System.Threading.Channels.Channel.CreateUnbounded<long>();

    public SemaphoreSlim EndOne { get; } = new(0);

    public int Most => Volatile.Read(ref _most);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int most;
        while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
        {
        }
    }

    public void Leave() => Interlocked.Decrement(ref _current);
}

/// <summary>Counts itself among the running slot handlers, then waits until the test lets one end.</summary>
public sealed class SlotHandler(SlotLog log) : IJobHandler
{
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        log.Enter();
        try
        {
            log.Started.Writer.TryWrite(context.JobId);
            await log.EndOne.WaitAsync(cancellationToken);
            return JobOutcome.Completed();
        }
        finally
        {
            log.Leave();
        }
    }
}

/// <summary>Ignores everything until its timeout stops it.</summary>
public sealed class HangHandler : IJobHandler
{
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        // Waits on nothing but its token.
        await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
        return JobOutcome.Completed();
    }
}
