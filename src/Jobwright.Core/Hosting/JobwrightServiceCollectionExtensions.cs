using System.Diagnostics.Metrics;
using Jobwright.Diagnostics;
using Jobwright.Engine;
using Jobwright.Operations;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobwright.Hosting;

/// <summary>Adds a Jobwright node to a host.</summary>
public static class JobwrightServiceCollectionExtensions
{
    /// <summary>Adds the engine, the store and the job service; returns a builder for operations.</summary>
    public static JobwrightBuilder AddJobwright(this IServiceCollection services, Action<JobwrightOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var operations = new OperationRegistry();
        services.AddOptions<JobwrightOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobwrightOptions>, JobwrightOptionsValidator>());
#pragma warning disable RS0030 // The composition root: the node's clock unless the host gave one.
        services.TryAddSingleton(TimeProvider.System);
#pragma warning restore RS0030
        services.AddSingleton(operations);
        services.AddSingleton<JobChangeFeed>();
        services.TryAddSingleton(sp => new JobwrightMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<IOptions<JobwrightOptions>>().Value.Telemetry));
        services.AddSingleton(sp =>
        {
            // Reading the options validates them (JobwrightOptionsValidator): a store factory is there.
            return sp.GetRequiredService<IOptions<JobwrightOptions>>().Value.StoreFactory!(sp);
        });
        services.AddSingleton<IJobQueries>(sp => sp.GetRequiredService<IJobStore>());
        // The audit trail lives in the store; a store of its own that keeps none answers every audit call with a clear error.
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<IJobStore>() as IAuditLog ?? new NoAuditLog());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JobwrightOptions>>().Value;
            return new ParameterProtector(options.SecretKeyPath, options.RequirePrivateKeyFile);
        });
        services.AddSingleton<INodeService, RetentionCleaner>();
        services.AddSingleton(sp => new ScheduleFirer(
            sp.GetRequiredService<IJobStore>(), operations, () => sp.GetRequiredService<JobDispatcher>().Wake(),
            sp.GetRequiredService<IOptions<JobwrightOptions>>().Value.ScheduleMisfireThreshold, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ScheduleFirer>>()));
        services.AddSingleton<INodeService>(sp => sp.GetRequiredService<ScheduleFirer>());
        services.AddSingleton<JobDispatcher>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<JobDispatcher>());
        services.AddSingleton<NotStartedReasonResolver>();
        services.AddSingleton<WaitingCensus>();
        services.AddSingleton<IHostedService, GaugeRegistration>();
        services.AddSingleton(sp => new JobService(
            sp.GetRequiredService<IJobStore>(),
            sp.GetRequiredService<IJobQueries>(),
            operations,
            sp.GetRequiredService<JobDispatcher>(),
            sp.GetRequiredService<NotStartedReasonResolver>(),
            sp.GetRequiredService<WaitingCensus>(),
            sp.GetRequiredService<JobwrightMetrics>(),
            sp.GetRequiredService<JobChangeFeed>(),
            sp.GetRequiredService<ParameterProtector>(),
            sp.GetRequiredService<ScheduleFirer>(),
            sp.GetRequiredService<IOptions<JobwrightOptions>>().Value.MaxQueuedJobs,
            sp.GetRequiredService<TimeProvider>()));
        return new JobwrightBuilder(services, operations);
    }
}
