using Jobwright.Status;

namespace Jobwright.Operations;

/// <summary>
/// Automatic retry: a job that ends in one of <see cref="On"/> is submitted again as a new job
/// (linked both ways by <c>retryOf</c> / <c>retriedBy</c>) after <see cref="Delay"/>, until
/// <see cref="MaxAttempts"/> jobs of the chain have run. The first job keeps its status.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan Delay, IReadOnlyList<JobStatus> On);
