using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>The audit trail, kept in the store beside the jobs (SPEC §7).</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry; completes once it is durable.</summary>
    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>Entries newest first, filtered, a page at a time (<see cref="AuditQuery.BeforeId"/> is the cursor).</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Removes up to <paramref name="limit"/> entries older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAuditAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);
}

/// <summary>A filter over the audit trail.</summary>
public sealed record AuditQuery
{
    public string? Actor { get; init; }

    public string? Action { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>Only entries with a smaller id (the cursor of the next page).</summary>
    public long? BeforeId { get; init; }

    public int Limit { get; init; } = 100;
}
