namespace Jobwright.Model;

/// <summary>An operation as <c>GET /api/v1/operations</c> shows it: its parameter schema and policies.</summary>
/// <param name="Name">The operation's name.</param>
/// <param name="Group">The operation's group.</param>
/// <param name="Description">What it does.</param>
/// <param name="TargetRequired">A submit must name a target.</param>
/// <param name="Parameters">The declared parameters.</param>
/// <param name="Policies">Concurrency, busy policy and timeout.</param>
public sealed record OperationView(
    string Name,
    string Group,
    string? Description,
    bool TargetRequired,
    IReadOnlyList<ParameterView> Parameters,
    OperationPolicies Policies);
