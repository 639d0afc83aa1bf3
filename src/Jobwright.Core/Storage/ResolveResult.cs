using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>
/// What <see cref="IJobStore.ResolveAsync"/> did: whether it recorded the resolution, and the linked job it
/// stored with it (a rerun's copy), if any.
/// </summary>
public sealed record ResolveResult(bool Applied, JobRecord? Linked);
