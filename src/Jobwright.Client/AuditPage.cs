using Jobwright.Model;

namespace Jobwright.Client;

/// <summary>One page of the audit trail, newest first, and the cursor of the next (null on the last).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, string? NextCursor);
