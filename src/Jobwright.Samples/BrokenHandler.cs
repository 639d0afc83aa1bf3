using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>Sample/BrokenHandler: its handler cannot be constructed, so every job of it ends FAILED_TO_START.</summary>
public sealed class BrokenHandler : IJobHandler
{
    /// <summary>Always throws, as a handler with a broken dependency would.</summary>
    public BrokenHandler() => throw new InvalidOperationException("the sample BrokenHandler cannot be constructed (a dependency is missing)");

    /// <inheritdoc />
    public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken) =>
        Task.FromResult(JobOutcome.Completed());
}
