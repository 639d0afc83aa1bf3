namespace Jobwright.Handlers;

/// <summary>
/// Runs one job of an operation. Report tasks through the <see cref="JobContext"/>, observe the
/// token for cancel, and end with a <see cref="JobOutcome"/>; an exception ends the job
/// FAILED_BEFORE_COMPLETION.
/// </summary>
public interface IJobHandler
{
    /// <summary>Runs the job.</summary>
    Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken);
}
