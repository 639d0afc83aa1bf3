using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>A page of jobs and where the next page starts (null on the last page).</summary>
public sealed record JobPage(IReadOnlyList<JobRecord> Jobs, long? NextBeforeId);
