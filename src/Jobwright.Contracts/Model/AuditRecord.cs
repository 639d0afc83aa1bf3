namespace Jobwright.Model;

/// <summary>
/// One entry of a node's audit trail: who did what to what, from where, when, and how it ended. Written
/// for every submit, cancel, delete and logon of a node with authentication.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>The entry's id, growing with time; 0 before it is stored.</summary>
    public long Id { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The authenticated name (or, for a failed logon, the name it tried).</summary>
    public required string Actor { get; init; }

    /// <summary>The caller's address.</summary>
    public string? Source { get; init; }

    /// <summary><c>submit</c>, <c>cancel</c>, <c>delete</c>, <c>logon</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What it acted on: <c>job 42</c>, <c>Sample/Simulate</c>, <c>user hscroot</c>.</summary>
    public string? Subject { get; init; }

    /// <summary><c>ok</c>, or <c>refused</c> with the reason in <see cref="Detail"/>.</summary>
    public required string Outcome { get; init; }

    public string? Detail { get; init; }
}
