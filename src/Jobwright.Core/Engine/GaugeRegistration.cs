using Jobwright.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobwright.Engine;

/// <summary>Points the node's gauges at its dispatcher and its job service when the node starts (the job service is made after the dispatcher).</summary>
internal sealed class GaugeRegistration(IServiceProvider services, JobwrightMetrics metrics, JobDispatcher dispatcher, TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var jobs = services.GetRequiredService<JobService>();
        metrics.Observe(new NodeGauges(
            dispatcher.WorkerSlots,
            () => dispatcher.RunningJobs,
            () => dispatcher.ActiveJobs,
            async ct => (await jobs.CountByStatusAsync(ct).ConfigureAwait(false), await jobs.CountWaitingByReasonAsync(ct).ConfigureAwait(false)),
            time));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
