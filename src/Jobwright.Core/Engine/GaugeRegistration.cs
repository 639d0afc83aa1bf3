using Jobwright.Diagnostics;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobwright.Engine;

/// <summary>Points the node's gauges at its dispatcher and its job service when the node starts (the job service is made after the dispatcher).</summary>
internal sealed class GaugeRegistration(IServiceProvider services, JobwrightMetrics metrics, JobDispatcher dispatcher, JobChangeFeed changes, TimeProvider time) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var jobs = services.GetRequiredService<JobService>();
        var gauges = new NodeGauges(
            dispatcher.WorkerSlots,
            () => dispatcher.RunningJobs,
            () => dispatcher.ActiveJobs,
            async ct => (await jobs.CountByStatusAsync(ct).ConfigureAwait(false), await jobs.CountWaitingByReasonAsync(ct).ConfigureAwait(false)),
            time);
        _subscription = changes.Subscribe(_ => gauges.JobChanged());
        metrics.Observe(gauges);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _subscription?.Dispose();
}
