using System.Text.Json.Nodes;
using Jobwright.Engine;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;
using Jobwright.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Redfish;

/// <summary>
/// Redfish-shaped systems (<see cref="JobwrightServerOptions.RedfishSystems"/>; the sample pack serves three): each
/// <c>ComputerSystem</c> with its <c>PowerState</c>, which is what the last ComputerSystem/Reset job that completed on it
/// left (its <c>PowerState</c> result), so every node of a cluster reads the same, across restarts.
/// </summary>
internal static class RedfishSystemEndpoints
{
    public const string ResetGroup = "ComputerSystem";
    public const string ResetOperation = "Reset";

    public static void MapRedfishSystemEndpoints(this IEndpointRouteBuilder app, IOptions<JobwrightServerOptions> server)
    {
        app.MapGet(RedfishPaths.Systems, (HttpRequest request) => server.Value.RedfishSystems.Count == 0 ? RedfishErrors.NotFound(request) : RedfishJson.Result(new JsonObject
        {
            ["@odata.type"] = "#ComputerSystemCollection.ComputerSystemCollection",
            ["@odata.id"] = RedfishPaths.Systems,
            ["Name"] = "Computer System Collection",
            ["Members@odata.count"] = server.Value.RedfishSystems.Count,
            ["Members"] = new JsonArray([.. server.Value.RedfishSystems.Select(id => (JsonNode)RedfishServiceEndpoints.Link($"{RedfishPaths.Systems}/{id}"))]),
        })).RequireAuthorization(JobwrightPolicies.Reader);

        app.MapGet(RedfishPaths.Systems + "/{id}", async (string id, HttpRequest request, JobService jobs, OperationRegistry operations, CancellationToken ct) =>
        {
            if (!server.Value.RedfishSystems.Contains(id, StringComparer.Ordinal))
            {
                return RedfishErrors.NotFound(request);
            }

            var reset = operations.Find(ResetGroup, ResetOperation);
            var last = await jobs.ListAsync(new JobQuery { Group = ResetGroup, Operation = ResetOperation, Target = id, Statuses = [JobStatus.CompletedOk], Limit = 1 }, ct);
            var powerState = last.Jobs.FirstOrDefault()?.Results.GetValueOrDefault("PowerState") ?? "Off";
            var system = new JsonObject
            {
                ["@odata.type"] = "#ComputerSystem.v1_20_0.ComputerSystem",
                ["@odata.id"] = $"{RedfishPaths.Systems}/{id}",
                ["Id"] = id,
                ["Name"] = $"System {id}",
                ["SystemType"] = "Physical",
                ["PowerState"] = powerState,
                ["Status"] = new JsonObject { ["State"] = "Enabled", ["Health"] = "OK" },
                ["Boot"] = new JsonObject { ["BootSourceOverrideEnabled"] = "Disabled", ["BootSourceOverrideTarget"] = "None" },
                ["Actions"] = new JsonObject(),
            };
            if (reset?.RedfishAction is { } action && reset.Parameters.FirstOrDefault(p => p.Name == "ResetType") is { Enum: { } types })
            {
                system["Actions"]!["#ComputerSystem.Reset"] = new JsonObject
                {
                    ["target"] = $"{RedfishPaths.Root}/{action.Replace("{target}", id, StringComparison.Ordinal)}",
                    ["ResetType@Redfish.AllowableValues"] = new JsonArray([.. types.Select(t => JsonValue.Create(t))]),
                };
            }

            return RedfishJson.Result(system);
        }).RequireAuthorization(JobwrightPolicies.Reader);
    }
}
