using Microsoft.Extensions.Logging;

namespace Jobwright.Engine;

/// <summary>The engine's log messages. Event ids: 1xx dispatch, 2xx job runs, 3xx recovery and shutdown.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Node {Node} started with {Slots} worker slots on the {Store} store")]
    public static partial void NodeStarted(ILogger logger, string node, int slots, string store);

    [LoggerMessage(101, LogLevel.Error, "The dispatcher failed to claim jobs; it tries again")]
    public static partial void ClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(102, LogLevel.Error, "Removing finished jobs past their retention failed; it tries again")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(200, LogLevel.Debug, "Job {JobId} ({Operation}) ended {Status}")]
    public static partial void JobEnded(ILogger logger, long jobId, string operation, string status);

    [LoggerMessage(201, LogLevel.Warning, "Job {JobId} could not start: {Reason}")]
    public static partial void JobFailedToStart(ILogger logger, long jobId, string reason);

    [LoggerMessage(202, LogLevel.Warning, "Job {JobId}: the store refused the outcome {Status}; it is now {Current}")]
    public static partial void FinishRefused(ILogger logger, long jobId, string status, string current);

    [LoggerMessage(203, LogLevel.Error, "Job {JobId}: the engine failed while running it")]
    public static partial void RunFailed(ILogger logger, long jobId, Exception exception);

    [LoggerMessage(204, LogLevel.Warning, "Job {JobId}: the handler ignored its stop ({Cause}); the job was ended without it")]
    public static partial void HandlerAbandoned(ILogger logger, long jobId, string cause);

    [LoggerMessage(300, LogLevel.Warning, "Recovered what a stopped node left: {Failed} running job(s) ended as interrupted, {Returned} claimed job(s) returned to the queue")]
    public static partial void Recovered(ILogger logger, int failed, int returned);

    [LoggerMessage(301, LogLevel.Information, "Stopping: waiting up to {Grace} for {Count} running job(s)")]
    public static partial void Stopping(ILogger logger, TimeSpan grace, int count);

    [LoggerMessage(302, LogLevel.Warning, "Grace period over: interrupting {Count} running job(s)")]
    public static partial void Interrupting(ILogger logger, int count);

    [LoggerMessage(303, LogLevel.Warning, "Node {Node}: the heartbeat did not reach the store ({Reason}); it tries again")]
    public static partial void HeartbeatFailed(ILogger logger, string node, string reason);

    [LoggerMessage(307, LogLevel.Error, "Node {Node}: the heartbeat failed; it tries again")]
    public static partial void HeartbeatError(ILogger logger, string node, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "The store cannot be reached ({Reason}); the dispatcher tries again")]
    public static partial void StoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(304, LogLevel.Error, "Node {Node} was given up by the cluster (its lease ran out) and its jobs were ended elsewhere; stopping their handlers and rejoining")]
    public static partial void NodeLost(ILogger logger, string node);

    [LoggerMessage(305, LogLevel.Warning, "Rescued lost node {Node}: its running jobs ended as interrupted, its claimed jobs returned to the queue")]
    public static partial void RescuedNode(ILogger logger, string node);

    [LoggerMessage(308, LogLevel.Information, "Node {Node} rejoined the cluster")]
    public static partial void Rejoined(ILogger logger, string node);

    [LoggerMessage(306, LogLevel.Warning, "Node {Node} could not leave the cluster; its lease will run out")]
    public static partial void LeaveFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(109, LogLevel.Error, "Firing the due schedules failed; it tries again")]
    public static partial void ScheduleFireFailed(ILogger logger, Exception exception);
}
