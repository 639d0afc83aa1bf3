namespace Jobwright.Operations;

/// <summary>A problem with one field of a request, e.g. <c>parameters.durationMs</c>.</summary>
public sealed record FieldError(string Field, string Message);
