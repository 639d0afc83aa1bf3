using Jobwright.Model;

namespace Jobwright.Client;

/// <summary>A page of jobs, newest first, and the cursor of the next page (null on the last).</summary>
public sealed record JobListPage(IReadOnlyList<JobRecord> Jobs, string? NextCursor);
