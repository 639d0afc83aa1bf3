using Jobwright.Model;
using Jobwright.Operations;

namespace Jobwright.Server.Api;

/// <summary>Builds the API's view of an operation from the engine's definition.</summary>
internal static class OperationViews
{
    public static OperationView From(OperationDefinition operation) => new(
        operation.Name,
        operation.Group,
        operation.Description,
        operation.TargetRequired,
        operation.Parameters.Select(p => new ParameterView(
            p.Name, p.Type, p.Required, p.Sensitive ? null : p.Default, p.Enum, p.Pattern, p.Minimum, p.Maximum, p.Sensitive, p.Description)).ToArray(),
        new OperationPolicies(
            operation.PerTargetConcurrency,
            operation.MaxConcurrency,
            new BusyPolicyView(
                operation.WhenTargetBusy.EndsAtOnce ? "retryLater" : "wait",
                operation.WhenTargetBusy.MaxWait?.TotalSeconds,
                operation.WhenTargetBusy.RetryAfter.TotalSeconds),
            operation.Timeout?.TotalSeconds));
}
