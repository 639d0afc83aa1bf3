using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>The stored job, and whether this submit created it (false: an earlier submit with the same idempotency key).</summary>
public sealed record SubmitResult(JobRecord Job, bool Created);
