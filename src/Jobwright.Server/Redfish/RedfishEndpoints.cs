using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Redfish;

/// <summary>The Redfish service (SPEC §5.2a, docs/redfish.md): service root, sessions, the TaskService, systems and actions.</summary>
internal static class RedfishEndpoints
{
    public static void MapRedfish(this IEndpointRouteBuilder app, IOptions<JobwrightServerOptions> server)
    {
        app.MapRedfishServiceEndpoints(server);
        app.MapRedfishSessionEndpoints(server);
        app.MapRedfishTaskEndpoints();
        app.MapRedfishSystemEndpoints(server);
        app.MapRedfishActionEndpoints(server);
    }
}
