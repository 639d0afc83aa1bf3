using System.Text.Json.Nodes;
using Jobwright.Operations;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>A new job of an operation, with the operation's policies the claim must respect.</summary>
internal static class NewJobs
{
    public static NewJob From(
        OperationDefinition operation, string? target, JsonObject storedParameters, string? submitter,
        string? idempotencyKey = null, DateTimeOffset? notBefore = null, long? retryOf = null)
    {
        var policy = operation.WhenTargetBusy;
        return new NewJob
        {
            Operation = operation.Name,
            Group = operation.Group,
            Target = target,
            Parameters = storedParameters,
            Submitter = submitter,
            IdempotencyKey = idempotencyKey,
            NotBefore = notBefore,
            TargetLimit = operation.PerTargetConcurrency,
            OperationLimit = operation.MaxConcurrency,
            BusyRetryAfterSeconds = policy.EndsAtOnce ? (int)Math.Ceiling(policy.RetryAfter.TotalSeconds) : null,
            BusyMaxWait = policy.MaxWait,
            BusyWaitRetryAfterSeconds = (int)Math.Ceiling(policy.RetryAfter.TotalSeconds),
            RetryOf = retryOf,
        };
    }
}
