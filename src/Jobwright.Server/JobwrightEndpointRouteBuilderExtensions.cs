using Jobwright.Server.Api;
using Jobwright.Server.Dashboard;
using Jobwright.Server.Hmc;
using Jobwright.Server.Redfish;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwright.Server;

/// <summary>Maps Jobwright's endpoints: the JSON API, server-sent events, health and metrics, the HMC API, the Redfish service and the dashboard.</summary>
public static class JobwrightEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every Jobwright endpoint into one route group and returns it, so that a host can put
    /// authorization, rate limits or other conventions on all of them at once.
    /// </summary>
    public static RouteGroupBuilder MapJobwright(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var server = endpoints.ServiceProvider.GetRequiredService<IOptions<JobwrightServerOptions>>();
        var group = endpoints.MapGroup(string.Empty);
        var api = group.MapGroup("/api/v1");
        api.MapJobEndpoints(server);
        api.MapBulkEndpoints(server);
        api.MapResolutionEndpoints(server);
        api.MapPauseEndpoints(server);
        api.MapScheduleEndpoints(server);
        api.MapEventEndpoints();
        api.MapNodeEndpoints();
        api.MapAuditEndpoints();
        group.MapHealthEndpoints();
        // The JSON API is described at /openapi/v1.json; the HMC's XML API and the dashboard's pages are not part of it.
        group.MapOpenApi().RequireAuthorization(Security.JobwrightPolicies.Reader);
        var undescribed = group.MapGroup(string.Empty).ExcludeFromDescription();
        undescribed.MapHmcEndpoints(server);
        undescribed.MapRedfish(server);
        undescribed.MapDashboard();
        group.MapFallback((HttpContext http, EndpointDataSource all) => UnmatchedRequests.Answer(http, all)).RequireAuthorization(Security.JobwrightPolicies.Reader).ExcludeFromDescription();
        return group;
    }
}
