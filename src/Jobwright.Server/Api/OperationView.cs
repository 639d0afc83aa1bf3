using System.Text.Json.Nodes;
using Jobwright.Operations;

namespace Jobwright.Server.Api;

/// <summary>An operation as <c>GET /api/v1/operations</c> shows it: its parameter schema and policies.</summary>
internal sealed record OperationView(
    string Name,
    string Group,
    string? Description,
    bool TargetRequired,
    IReadOnlyList<ParameterView> Parameters,
    OperationPolicies Policies)
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

/// <summary>One declared parameter.</summary>
internal sealed record ParameterView(
    string Name,
    ParameterType Type,
    bool Required,
    JsonValue? Default,
    IReadOnlyList<string>? Enum,
    string? Pattern,
    double? Minimum,
    double? Maximum,
    bool Sensitive,
    string? Description);

/// <summary>When a job of the operation may start and how long it may run.</summary>
internal sealed record OperationPolicies(int PerTargetConcurrency, int? MaxConcurrency, BusyPolicyView WhenTargetBusy, double? TimeoutSeconds);

/// <summary>What a job does while its target is busy.</summary>
internal sealed record BusyPolicyView(string Policy, double? MaxWaitSeconds, double RetryAfterSeconds);
