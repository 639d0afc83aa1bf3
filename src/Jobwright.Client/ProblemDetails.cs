namespace Jobwright.Client;

/// <summary>An error answer of the API.</summary>
public sealed record ProblemDetails
{
    /// <summary>A stable URI per kind of error, e.g. <c>urn:jobwright:problem:job-not-found</c>.</summary>
    public string? Type { get; init; }

    /// <summary>A short title.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong.</summary>
    public string? Detail { get; init; }

    /// <summary>Each field that is wrong, and why.</summary>
    public IReadOnlyList<ProblemField> Errors { get; init; } = [];
}
