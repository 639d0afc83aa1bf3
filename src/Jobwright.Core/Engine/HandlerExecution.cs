using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Jobwright.Handlers;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;

namespace Jobwright.Engine;

/// <summary>
/// Runs a started job's handler to its end: its context and progress writes, its timeout, and a handler
/// that ignores its stop. Returns how the job ends, as <see cref="OutcomeMapper"/> decides it.
/// </summary>
internal sealed class HandlerExecution(IJobStore store, RunningJobs runs, ILoggerFactory loggerFactory, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, ILogger> _jobLoggers = new(StringComparer.Ordinal);

    public async Task<JobFinish> RunAsync(
        JobRecord job, long attempt, OperationDefinition operation, JsonObject parameters, SecretMask mask, IJobHandler handler, RunningJob running, JobLineage lineage)
    {
        ProgressWriter? progress = null;
        var context = new JobContext(
            job,
            operation,
            new JobParameters(parameters),
            _jobLoggers.GetOrAdd(operation.QualifiedName, name => loggerFactory.CreateLogger("Jobwright.Job." + name)),
            time,
            () => progress?.MarkChanged(),
            () => OutcomeMapper.StopReason(running.Cause, operation.Timeout),
            lineage);
        progress = new ProgressWriter(store, job.JobId, attempt, () => mask.Apply(context.Snapshot()));

        using var timeout = operation.Timeout is { } limit ? new CancellationTokenSource(limit, time) : null;
        using var onTimeout = timeout?.Token.Register(() => runs.StopAndAbandonLater(running, StopCause.Timeout));

        var handlerTask = Task.Run(() => handler.ExecuteAsync(context, running.Token), CancellationToken.None);
        HandlerEnding ending;
        if (await Task.WhenAny(handlerTask, running.Abandoned).ConfigureAwait(false) != handlerTask)
        {
            Log.HandlerAbandoned(logger, job.JobId, running.Cause.ToString());
            ending = new HandlerEnding.Stopped(running.Cause, operation.Timeout);
        }
        else
        {
            ending = await EndingOfAsync(handlerTask, running, operation).ConfigureAwait(false);
        }

        await progress.CloseAsync().ConfigureAwait(false);
        return mask.Apply(OutcomeMapper.Map(ending, context.Snapshot(), running.CancelRequested));
    }

    private static async Task<HandlerEnding> EndingOfAsync(Task<JobOutcome> handlerTask, RunningJob running, OperationDefinition operation)
    {
        try
        {
            return new HandlerEnding.Returned(await handlerTask.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (running.Cause != StopCause.None)
        {
            return new HandlerEnding.Stopped(running.Cause, operation.Timeout);
        }
        catch (Exception) when (running.Cause is StopCause.Timeout or StopCause.Shutdown)
        {
            // Whatever it threw, it was interrupted by the engine.
            return new HandlerEnding.Stopped(running.Cause, operation.Timeout);
        }
        catch (Exception e)
        {
            return new HandlerEnding.Threw(e);
        }
    }
}
