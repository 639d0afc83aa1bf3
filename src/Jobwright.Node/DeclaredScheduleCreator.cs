using Jobwright.Engine;
using Jobwright.Model;
using Microsoft.Extensions.Hosting;

namespace Jobwright.Node;

/// <summary>
/// Creates, when the node starts, the schedules its operations file declares that no schedule has the name of
/// yet (a stored schedule of that name is kept as it is). A declared schedule that is invalid stops the start,
/// naming the file, the schedule and the field.
/// </summary>
internal sealed class DeclaredScheduleCreator(JobService jobs, string file, IReadOnlyList<ScheduleRequest> schedules) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (schedules.Count == 0)
        {
            return;
        }

        var existing = (await jobs.ListSchedulesAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var schedule in schedules.Where(s => !existing.Contains(s.Name)))
        {
            try
            {
                await jobs.CreateScheduleAsync(schedule, $"operations file {Path.GetFileName(file)}", cancellationToken).ConfigureAwait(false);
            }
            catch (JobRequestException e) when (e.Kind != JobProblemKind.Conflict)
            {
                throw new InvalidOperationException(
                    $"operations file {file}: schedule '{schedule.Name}': " + string.Join(" ", e.Errors.Select(f => $"field '{f.Field}': {f.Message}")), e);
            }
            catch (JobRequestException)
            {
                // Another node of the cluster created it first.
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
