using System.Diagnostics;
using Jobwright.Client;
using Jobwright.Model;
using Jobwright.Status;
using Spectre.Console;

namespace Jobwright.Cli;

/// <summary>
/// Follows a job until it ends: live progress on a terminal, one plain line per change otherwise.
/// Ctrl+C asks (on a terminal) whether to cancel the job or just stop watching.
/// </summary>
internal sealed class JobWatcher(CliContext context, JobwrightClient client)
{
    /// <summary>The job once it has ended, or null when the user stopped watching.</summary>
    public async Task<JobRecord?> WatchAsync(long jobId, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var interrupt = new CancellationTokenSource();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interrupt.Token);
        if (timeout is { } limit)
        {
            watching.CancelAfter(limit);
        }

        var clock = Stopwatch.StartNew();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            while (true)
            {
                var job = await FollowAsync(jobId, clock, watching.Token);
                if (job is not null)
                {
                    return job;
                }

                if (!interrupt.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new TimeoutException($"Job {jobId} has not ended within {timeout}.");
                }

                if (!CliContext.IsTerminal || !AskToCancel(jobId))
                {
                    return null;
                }

                await client.CancelAsync(jobId, cancellationToken);
                context.Console.MarkupLine($"[purple]Cancel requested for job {jobId}.[/]");
                return await FollowAsync(jobId, clock, cancellationToken) ?? await client.GetAsync(jobId, cancellationToken);
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private bool AskToCancel(long jobId) =>
        context.Console.Prompt(new SelectionPrompt<string>()
            .Title($"Job {jobId} is still going. What now?")
            .AddChoices("Stop watching (the job goes on)", "Cancel the job")) == "Cancel the job";

    // Null when stopped before the job ended.
    private async Task<JobRecord?> FollowAsync(long jobId, Stopwatch clock, CancellationToken cancellationToken)
    {
        JobRecord? latest = null;
        var ended = new TaskCompletionSource<JobRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        var updates = Task.Run(async () =>
        {
            await foreach (var job in client.WatchAsync(jobId, cancellationToken))
            {
                if (!CliContext.IsTerminal && !context.Json)
                {
                    foreach (var line in PlainProgress.Changes(latest, job))
                    {
                        Console.WriteLine(line);
                    }
                }

                latest = job;
                if (job.Status.IsTerminal())
                {
                    ended.TrySetResult(job);
                }
            }
        }, CancellationToken.None);

        try
        {
            if (CliContext.IsTerminal && !context.Json)
            {
                await context.Console.Live(new Markup($"Job {jobId}…")).AutoClear(false).StartAsync(async live =>
                {
                    while (!ended.Task.IsCompleted && !cancellationToken.IsCancellationRequested && !updates.IsCompleted)
                    {
                        if (latest is { } job)
                        {
                            live.UpdateTarget(JobView.Render(job, clock.Elapsed));
                        }

                        await Task.WhenAny(ended.Task, updates, Task.Delay(200, CancellationToken.None));
                    }

                    if (ended.Task.IsCompletedSuccessfully)
                    {
                        live.UpdateTarget(JobView.Render(ended.Task.Result, clock.Elapsed));
                    }
                });
            }
            else
            {
                await Task.WhenAny(ended.Task, updates);
            }

            await updates;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return ended.Task.IsCompletedSuccessfully ? ended.Task.Result : null;
    }
}
