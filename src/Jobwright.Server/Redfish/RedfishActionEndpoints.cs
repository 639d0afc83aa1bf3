using System.Text.Json.Nodes;
using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Redfish;

/// <summary>
/// Operations as Redfish actions: every operation at <c>Oem/Jobwright/Operations/{Group}/{Name}/Actions/Run</c> (with a
/// target: <c>…/Targets/{target}/Actions/Run</c>), and operations that name a <see cref="OperationDefinition.RedfishAction"/>
/// at that path. Each POST submits a job and answers <c>202</c> with its task monitor in <c>Location</c>.
/// </summary>
internal static class RedfishActionEndpoints
{
    public static void MapRedfishActionEndpoints(this IEndpointRouteBuilder app, IOptions<JobwrightServerOptions> server)
    {
        app.MapGet(RedfishPaths.Operations, (OperationRegistry operations) => RedfishJson.Result(new JsonObject
        {
            ["@odata.id"] = RedfishPaths.Operations,
            ["Name"] = "Jobwright operations",
            ["Members@odata.count"] = operations.All.Count,
            ["Members"] = new JsonArray([.. operations.All.Select(o => (JsonNode)RedfishServiceEndpoints.Link($"{RedfishPaths.Operations}/{o.Group}/{o.Name}"))]),
        })).RequireAuthorization(JobwrightPolicies.Reader);

        app.MapGet(RedfishPaths.Operations + "/{group}/{operation}", (string group, string operation, HttpRequest request, OperationRegistry operations) =>
            operations.Find(group, operation) is { } definition ? RedfishJson.Result(Operation(definition)) : RedfishErrors.NotFound(request))
            .RequireAuthorization(JobwrightPolicies.Reader);

        foreach (var pattern in new[] { "/{group}/{operation}/Actions/Run", "/{group}/{operation}/Targets/{target}/Actions/Run" })
        {
            app.MapPost(RedfishPaths.Operations + pattern, (string group, string operation, HttpContext http, OperationRegistry operations, CancellationToken ct) =>
                operations.Find(group, operation) is { } definition
                    ? StartAsync(http, definition, http.Request.RouteValues["target"] as string, server, ct)
                    : Task.FromResult(RedfishErrors.NotFound(http.Request)))
                .RequireAuthorization(JobwrightPolicies.Operator);
        }

        // Operations bound to an action path of their own (RedfishAction), e.g. Systems/{target}/Actions/ComputerSystem.Reset:
        // each is a route of its own, so any other path is 404 (or 405), as Redfish clients expect.
        foreach (var operation in app.ServiceProvider.GetRequiredService<OperationRegistry>().All.Where(o => o.RedfishAction is not null))
        {
            app.MapPost($"{RedfishPaths.Root}/{operation.RedfishAction}", (HttpContext http, CancellationToken ct) =>
                StartAsync(http, operation, http.Request.RouteValues["target"] as string, server, ct))
                .RequireAuthorization(JobwrightPolicies.Operator);
        }
    }

    private static async Task<IResult> StartAsync(HttpContext http, OperationDefinition operation, string? target, IOptions<JobwrightServerOptions> server, CancellationToken ct)
    {
        var (body, problem) = await RedfishBodies.ReadAsync(http.Request, server.Value.MaxRequestBodyBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        var (parameters, invalid) = RedfishActions.Parameters(operation, body!);
        if (invalid is not null)
        {
            return invalid;
        }

        var caller = JobwrightCaller.From(http);
        var audit = http.RequestServices.GetRequiredService<AuditTrail>();
        if (!caller.CanSubmit(operation.Group, operation.Name, target))
        {
            await audit.RecordAsync(http, "submit", $"{operation.QualifiedName} {target}".TrimEnd(), AuditTrail.Refused, "outside the caller's scope");
            return RedfishErrors.Error(403, RedfishMessages.Base + "InsufficientPrivilege",
                $"{caller.Name} may not run {operation.QualifiedName} on {target ?? "no target"}: its scope is {string.Join(", ", caller.Scope.Patterns)}.");
        }

        var jobs = http.RequestServices.GetRequiredService<JobService>();
        var submission = new JobSubmission { Operation = operation.Name, Group = operation.Group, Target = target, Parameters = parameters! };
        var result = await jobs.SubmitAsync(submission, caller.Name, ct);
        await audit.RecordAsync(http, "submit", $"job {result.Job.JobId}", AuditTrail.Ok, $"Redfish {http.Request.Path}");
        var monitors = http.RequestServices.GetRequiredService<TaskMonitorIds>();
        return RedfishTaskMonitor.Accepted(http.Response, result.Job, monitors.For(result.Job.JobId), operation, startingRequest: true);
    }

    private static JsonObject Operation(OperationDefinition operation)
    {
        var run = new JsonObject
        {
            ["target"] = RedfishActions.RunUri(operation.Group, operation.Name, null),
            ["Parameters"] = new JsonArray([.. operation.Parameters.Select(p => (JsonNode)new JsonObject
            {
                ["Name"] = p.Name,
                ["DataType"] = p.Type.ToString(),
                ["Required"] = p.Required,
                ["AllowableValues"] = p.Enum is { } values ? new JsonArray([.. values.Select(v => JsonValue.Create(v))]) : null,
            })]),
        };
        return new JsonObject
        {
            ["@odata.id"] = $"{RedfishPaths.Operations}/{operation.Group}/{operation.Name}",
            ["Id"] = operation.Name,
            ["Name"] = operation.QualifiedName,
            ["Description"] = operation.Description,
            ["TargetRequired"] = operation.TargetRequired,
            ["RedfishAction"] = operation.RedfishAction is { } action ? $"{RedfishPaths.Root}/{action}" : null,
            ["Actions"] = new JsonObject { ["#JobwrightOperation.Run"] = run },
        };
    }
}
