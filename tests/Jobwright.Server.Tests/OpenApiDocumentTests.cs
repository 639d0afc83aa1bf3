using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>
/// /openapi/v1.json (Microsoft.AspNetCore.OpenApi) describes exactly the JSON API's endpoints that exist —
/// every /api/v1 route and method, and /healthz — with their answers' types and the problem type of every
/// refusal, which is the shape a real refusal has.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_describes_every_endpoint_of_the_json_api_and_nothing_else()
    {
        await using var node = await TestNode.StartAsync();
        var document = (await node.Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;

        var described = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(method => $"{method.Key.ToUpperInvariant()} {path.Key}"))
            .Order(StringComparer.Ordinal).ToArray();
        var existing = node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null && e.RoutePattern.RawText is not "/openapi/{documentName}.json")
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(existing, described);
        Assert.Contains("POST /api/v1/jobs", described);
        Assert.Equal(32, described.Count(d => d.Contains(" /api/v1/", StringComparison.Ordinal)));
        Assert.Contains("GET /healthz", described);
        Assert.DoesNotContain(described, d => d.Contains("/rest/api", StringComparison.Ordinal) || d.Contains("/ui/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Answers_and_refusals_have_their_types_and_a_real_refusal_has_the_documented_shape()
    {
        await using var node = await TestNode.StartAsync();
        var document = (await node.Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var submit = document["paths"]!["/api/v1/jobs"]!["post"]!;
        var body = submit["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal(["operation"], body["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(
            ["group", "idempotencyKey", "notBefore", "operation", "parameters", "priority", "target"],
            body["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("#/components/schemas/JobRecord", submit["responses"]!["202"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());

        // Every 4xx and 5xx of every operation is a problem of the one documented type.
        var refusals = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject())
            .SelectMany(o => o.Value!["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5')).ToArray();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.Equal("#/components/schemas/ProblemResponse", r.Value!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>()));

        var schemas = document["components"]!["schemas"]!;
        var problem = schemas["ProblemResponse"]!;
        Assert.Equal(["detail", "status", "title", "type"], problem["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["CANCELED_BEFORE_START", "CANCELED_WHILE_RUNNING", "COMPLETED_OK", "COMPLETED_WITH_ERROR", "COMPLETED_WITH_WARNINGS", "FAILED_BEFORE_COMPLETION", "FAILED_BEFORE_COMPLETION_RETRY", "FAILED_TO_START", "NOT_STARTED", "RUNNING"],
            schemas["JobStatus"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));

        using var refused = await node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { tasks = "many" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var answer = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        var documented = problem["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(documented, answer.Select(p => p.Key).Where(k => k != "traceId").ToHashSet(StringComparer.Ordinal));
        var field = answer["errors"]!.AsArray()[0]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(schemas["ProblemFieldResponse"]!["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal), field);
    }
}
