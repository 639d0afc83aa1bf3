using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>Simulated work: waits <c>duration</c> in ten steps, reporting the percent after each.</summary>
internal static class SampleWork
{
    private const int Steps = 10;

    public static async Task StepAsync(JobTask task, TimeSpan duration, TimeProvider time, CancellationToken cancellationToken)
    {
        var step = duration / Steps;
        for (var i = 1; i <= Steps; i++)
        {
            if (step > TimeSpan.Zero)
            {
                await Task.Delay(step, time, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            task.ReportPercent(i * 100 / Steps);
        }
    }
}
