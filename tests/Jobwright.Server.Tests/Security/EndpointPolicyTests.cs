using Jobwright.TestSupport;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests.Security;

/// <summary>Default deny: every endpoint Jobwright maps names a policy, and only health, the logons, the Redfish service root and the page script and style let anyone in.</summary>
public sealed class EndpointPolicyTests
{
    [Fact]
    public async Task Every_mapped_endpoint_names_a_policy_and_only_health_and_the_logons_are_anonymous()
    {
        await using var node = await LoopbackNode.StartAsync();
        var endpoints = node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        var unguarded = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is not null))
            .Select(Describe)
            .ToList();
        Assert.True(unguarded.Count == 0, "endpoints without a policy: " + string.Join(", ", unguarded));

        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(Describe).Order().ToArray();
        Assert.Equal(
            [
                "DELETE /rest/api/web/Logon", "GET /healthz", "GET /login", "GET /redfish", "GET /redfish/v1", "GET /redfish/v1/$metadata", "GET /redfish/v1/odata",
                "GET /ui/{file}", "POST /login", "POST /logout", "POST /redfish/v1/SessionService/Sessions", "PUT /rest/api/web/Logon",
            ],
            anonymous);
    }

    private static string Describe(RouteEndpoint endpoint) =>
        $"{string.Join(",", endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {endpoint.RoutePattern.RawText}";
}
