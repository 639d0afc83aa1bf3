namespace Jobwright.Client;

/// <summary>One wrong field of a refused request.</summary>
public sealed record ProblemField(string Field, string Message);
