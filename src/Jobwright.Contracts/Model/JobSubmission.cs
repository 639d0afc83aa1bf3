using System.Text.Json.Nodes;

namespace Jobwright.Model;

/// <summary>A request to run an operation (SPEC §3: the submit).</summary>
public sealed record JobSubmission
{
    /// <summary>The operation's name.</summary>
    public required string Operation { get; init; }

    /// <summary>The operation's group; needed only when two groups have an operation of that name.</summary>
    public string? Group { get; init; }

    /// <summary>What to act on.</summary>
    public string? Target { get; init; }

    /// <summary>Parameter values: strings, numbers or booleans; strings are converted to the declared types.</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>A second submit with the same key returns the first job instead of creating another.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Not to start before this time.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>
    /// Higher starts first among the jobs that may start (from -1000 to 1000; default 0). No job starves: one
    /// claim in four takes the jobs that have waited longest, whatever their priority.
    /// </summary>
    public int? Priority { get; init; }
}
