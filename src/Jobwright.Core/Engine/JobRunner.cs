using Jobwright.Handlers;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwright.Engine;

/// <summary>
/// Runs one claimed job: prepares it (or ends it FAILED_TO_START), makes its handler, moves it to RUNNING
/// durably before the handler's first instruction, runs the handler and has the completer write its end.
/// A job claimed while the node is stopping is handed back, never begun.
/// </summary>
internal sealed class JobRunner(
    IJobStore store, OperationRegistry operations, ParameterProtector protector, IServiceProvider services,
    RunningJobs runs, HandlerExecution execution, JobCompleter completer, DispatcherLifetime lifetime,
    string nodeName, Action wake, TimeProvider time, ILogger logger)
{
    public async Task RunAsync(ClaimedJob claim, WorkerSlot slot)
    {
        var job = claim.Job;
        try
        {
            await RunClaimedAsync(job, claim.Attempt, slot).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.RunFailed(logger, job.JobId, e);
            await TryAsync(() => completer.EndAfterEngineErrorAsync(job, claim.Attempt, e)).ConfigureAwait(false);
        }
        finally
        {
            runs.EndRun(job.JobId);
            slot.Release();
            wake();
        }
    }

    private async Task RunClaimedAsync(JobRecord job, long attempt, WorkerSlot slot)
    {
        var prepared = JobPreparation.Of(job, operations, protector, nodeName);
        if (prepared is not { Operation: { } operation, Parameters: { } parameters })
        {
            await completer.FailToStartAsync(job, attempt, prepared.FailureReason!).ConfigureAwait(false);
            return;
        }

        var mask = SecretMask.For(operation, parameters);
        await using var scope = services.CreateAsyncScope();
        IJobHandler handler;
        try
        {
            handler = operation.CreateHandler(scope.ServiceProvider);
        }
        catch (Exception e)
        {
            await completer.FailToStartAsync(job, attempt, mask.Apply($"the handler of '{operation.QualifiedName}' could not be constructed: {e.Message}")).ConfigureAwait(false);
            return;
        }

        try
        {
            if (lifetime.IsStopping)
            {
                // Never begun: hand it back so the next start (or another node) runs it.
                await StoreRetry.UntilDoneAsync(() => store.ReleaseAsync(job.JobId, attempt, CancellationToken.None), time, lifetime.GiveUpWrites).ConfigureAwait(false);
                return;
            }

            using var running = new RunningJob(job.JobId, attempt);
            runs.Register(running);
            if (!await StoreRetry.UntilDoneAsync(() => store.StartAsync(job.JobId, attempt, CancellationToken.None), time, lifetime.GiveUpWrites).ConfigureAwait(false))
            {
                return;
            }

            var finish = await execution.RunAsync(job, attempt, operation, parameters, mask, handler, running).ConfigureAwait(false);
            await completer.FinishAsync(job, attempt, operation, finish, slot).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(handler).ConfigureAwait(false);
        }
    }

    private static async ValueTask DisposeAsync(IJobHandler handler)
    {
        switch (handler)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.ClaimFailed(logger, e);
        }
    }
}
