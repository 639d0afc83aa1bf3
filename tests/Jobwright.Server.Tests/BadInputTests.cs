using Jobwright.TestSupport;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests;

/// <summary>Bad input gets a 4xx problem naming the field, creates no job, and is never a 500.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private LoopbackNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(settings: s => s with { MaxRequestBodyBytes = 64 * 1024 });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("{\"operation\":\"NoSuchThing\"}", HttpStatusCode.NotFound, "operation")]
    [InlineData("{\"operation\":\"Simulate\",\"group\":\"Nope\"}", HttpStatusCode.NotFound, "operation")]
    [InlineData("{\"operation\":\"PowerOn\"}", HttpStatusCode.BadRequest, "group")]
    [InlineData("{}", HttpStatusCode.BadRequest, "operation")]
    [InlineData("{\"operation\":42}", HttpStatusCode.BadRequest, "operation")]
    [InlineData("{\"operation\":\"Simulate\",\"parameters\":{\"durationMs\":\"soon\"}}", HttpStatusCode.BadRequest, "parameters.durationMs")]
    [InlineData("{\"operation\":\"Simulate\",\"parameters\":{\"tasks\":1000}}", HttpStatusCode.BadRequest, "parameters.tasks")]
    [InlineData("{\"operation\":\"Simulate\",\"parameters\":{\"outcome\":\"maybe\"}}", HttpStatusCode.BadRequest, "parameters.outcome")]
    [InlineData("{\"operation\":\"Simulate\",\"parameters\":{\"nope\":1}}", HttpStatusCode.BadRequest, "parameters.nope")]
    [InlineData("{\"operation\":\"Simulate\",\"parameters\":[1,2]}", HttpStatusCode.BadRequest, "parameters")]
    [InlineData("{\"operation\":\"Migrate\",\"target\":\"lpar-1\"}", HttpStatusCode.BadRequest, "parameters.targetSystem")]
    [InlineData("{\"operation\":\"Migrate\",\"parameters\":{\"targetSystem\":\"sys-b\"}}", HttpStatusCode.BadRequest, "target")]
    [InlineData("{\"operation\":\"Simulate\",\"notBefore\":\"tomorrow\"}", HttpStatusCode.BadRequest, "notBefore")]
    [InlineData("{\"operation\":\"Simulate\",\"colour\":\"red\"}", HttpStatusCode.BadRequest, "colour")]
    [InlineData("{\"operation\":\"Simulate\"", HttpStatusCode.BadRequest, "body")]
    [InlineData("[1,2,3]", HttpStatusCode.BadRequest, "body")]
    [InlineData("", HttpStatusCode.BadRequest, "body")]
    public async Task A_bad_submit_is_refused_naming_the_field_and_creates_no_job(string body, HttpStatusCode expected, string field)
    {
        var before = await _node.CountJobsAsync();
        var response = await _node.Http.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, expected, field);
        Assert.Equal(before, await _node.CountJobsAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_creates_no_job()
    {
        var before = await _node.CountJobsAsync();
        var huge = "{\"operation\":\"Simulate\",\"target\":\"" + new string('x', 70 * 1024) + "\"}";
        var response = await _node.Http.PostAsync("/api/v1/jobs", new StringContent(huge, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Equal(before, await _node.CountJobsAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_without_a_length_is_413_too()
    {
        var huge = Encoding.UTF8.GetBytes("{\"operation\":\"Simulate\",\"target\":\"" + new string('x', 70 * 1024) + "\"}");
        var content = new StreamContent(new MemoryStream(huge));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblemAsync(await _node.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415()
    {
        var response = await _node.Http.PostAsync("/api/v1/jobs", new StringContent("operation=Simulate", Encoding.UTF8, "text/plain"));
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Theory]
    [InlineData("GET", "/api/v1/jobs/999999", HttpStatusCode.NotFound, "jobId")]
    [InlineData("POST", "/api/v1/jobs/999999/cancel", HttpStatusCode.NotFound, "jobId")]
    [InlineData("DELETE", "/api/v1/jobs/999999", HttpStatusCode.NotFound, "jobId")]
    [InlineData("GET", "/api/v1/jobs/abc", HttpStatusCode.BadRequest, "jobId")]
    [InlineData("GET", "/api/v1/jobs/-4", HttpStatusCode.BadRequest, "jobId")]
    [InlineData("GET", "/api/v1/jobs/99999999999999999999999", HttpStatusCode.BadRequest, "jobId")]
    [InlineData("POST", "/api/v1/jobs/1.5/cancel", HttpStatusCode.BadRequest, "jobId")]
    [InlineData("DELETE", "/api/v1/jobs/x", HttpStatusCode.BadRequest, "jobId")]
    [InlineData("GET", "/api/v1/jobs/abc/events", HttpStatusCode.BadRequest, "jobId")]
    [InlineData("GET", "/api/v1/jobs/999999/events", HttpStatusCode.NotFound, "jobId")]
    [InlineData("GET", "/api/v1/jobs?status=DONE", HttpStatusCode.BadRequest, "status")]
    [InlineData("GET", "/api/v1/jobs?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("GET", "/api/v1/jobs?cursor=garbage", HttpStatusCode.BadRequest, "cursor")]
    [InlineData("GET", "/api/v1/jobs?from=yesterday", HttpStatusCode.BadRequest, "from")]
    [InlineData("GET", "/api/v1/operations/NoSuchThing", HttpStatusCode.NotFound, "operation")]
    public async Task A_bad_id_or_query_is_refused_naming_the_field(string method, string path, HttpStatusCode expected, string field)
    {
        var response = await _node.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await AssertProblemAsync(response, expected, field);
    }

    [Fact]
    public async Task A_bad_wait_is_refused_naming_the_field()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 10 } });
        await AssertProblemAsync(await _node.Http.GetAsync($"/api/v1/jobs/{id}?wait=forever"), HttpStatusCode.BadRequest, "wait");
        await AssertProblemAsync(await _node.Http.GetAsync($"/api/v1/jobs/{id}?wait=10m"), HttpStatusCode.BadRequest, "wait");
    }

    [Fact]
    public async Task Deleting_a_job_that_has_not_ended_is_a_conflict_and_deleting_a_finished_one_works()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 20000 } });
        await AssertProblemAsync(await _node.Http.DeleteAsync($"/api/v1/jobs/{id}"), HttpStatusCode.Conflict, "jobId");
        await _node.CancelAsync(id);
        await _node.WaitForTerminalAsync(id);
        Assert.Equal(HttpStatusCode.NoContent, (await _node.Http.DeleteAsync($"/api/v1/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync($"/api/v1/jobs/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem()
    {
        var response = await _node.Http.GetAsync("/api/v2/whatever");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.StartsWith("urn:jobwright:problem:", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.Contains(problem["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == field);
    }
}
