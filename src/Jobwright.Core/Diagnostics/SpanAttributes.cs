namespace Jobwright.Diagnostics;

/// <summary>
/// Attribute names of Jobwright's spans and instruments. Ids and targets go on spans only: a metric
/// attribute must have few values (operation, status, reason code).
/// </summary>
internal static class SpanAttributes
{
    public const string MessagingSystem = "messaging.system";
    public const string MessagingOperationType = "messaging.operation.type";
    public const string JobId = "jobwright.job.id";
    public const string Operation = "jobwright.operation";
    public const string Target = "jobwright.target";
    public const string Node = "jobwright.node";
    public const string Attempt = "jobwright.attempt";
    public const string Status = "jobwright.job.status";
    public const string RetryOf = "jobwright.job.retry_of";
    public const string TaskName = "jobwright.task.name";
    public const string TaskStatus = "jobwright.task.status";
    public const string Reason = "jobwright.not_started_reason";
    public const string Store = "jobwright.store";
}
