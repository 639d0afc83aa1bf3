using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>The audit trail of a store that keeps none: writing or reading it says so.</summary>
internal sealed class NoAuditLog : IAuditLog
{
    private const string Message = "This job store keeps no audit trail: implement IAuditLog in it, or use the SQLite or PostgreSQL store.";

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken) => throw new NotSupportedException(Message);

    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => throw new NotSupportedException(Message);

    public Task<int> PurgeAuditAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) => throw new NotSupportedException(Message);
}
