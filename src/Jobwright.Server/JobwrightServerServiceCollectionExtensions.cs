using Jobwright.Server.Api;
using Jobwright.Server.Hmc;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobwright.Server;

/// <summary>Adds Jobwright's HTTP face to an ASP.NET Core host that already has <c>AddJobwright</c> (the engine and its store).</summary>
public static class JobwrightServerServiceCollectionExtensions
{
    /// <summary>Adds what <c>MapJobwright</c> needs: JSON and problem settings, HMC sessions, the request pipeline's guards.</summary>
    public static IServiceCollection AddJobwrightServer(this IServiceCollection services, Action<JobwrightServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<JobwrightServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobwrightServerOptions>, JobwrightServerOptionsValidator>());
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Jobwright JSON API";
            document.Info.Version = "v1";
            return Task.CompletedTask;
        }));
        services.TryAddSingleton<HmcSessions>();
        services.TryAddSingleton<Redfish.RedfishSessions>();
        services.TryAddSingleton<Redfish.TaskMonitorIds>();
        services.TryAddSingleton<Security.AuditTrail>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ".Jobwright.Antiforgery";
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        services.AddHostedService<Security.AuditRetention>();
        // Every endpoint names a policy (JobwrightPolicies); without AddJobwrightSecurity they let every caller in.
        services.AddAuthorization();
        services.AddOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>()
            .Configure<IOptions<Security.JobwrightSecurityOptions>>((authorization, security) => Security.JobwrightPolicies.Add(authorization, security.Value));
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, JobwrightRequestPipeline>());
        return services;
    }
}
