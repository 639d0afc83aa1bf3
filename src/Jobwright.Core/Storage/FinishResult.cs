using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>Whether a finish was applied; when not, another writer decided the job (<see cref="Current"/> shows how).</summary>
public sealed record FinishResult(bool Applied, JobRecord? Current);
