using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Hosting;
using Jobwright.Samples;
using Jobwright.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>A host of its own puts Jobwright in with AddJobwright, AddJobwrightServer and MapJobwright, under a prefix of its choosing.</summary>
public sealed class OwnHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-own-host-").FullName;

    [Fact]
    public async Task MapJobwright_under_a_path_prefix_serves_the_JSON_API_there_and_its_problems()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddJobwright(o => o.UseSqlite(Path.Combine(_directory, "own.db"))).AddSampleOperations();
        builder.Services.AddJobwrightServer();
        await using var app = builder.Build();
        app.MapGroup("/jobs-service").MapJobwright();
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        using var submit = await http.PostAsJsonAsync("/jobs-service/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 0, tasks = 1 } });
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = (await submit.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
        using var read = await http.GetAsync($"/jobs-service/api/v1/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        using var bad = await http.PostAsync("/jobs-service/api/v1/jobs", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

        // Without WithTelemetry() the host exports no metrics, and /metrics says how to turn them on.
        using var metrics = await http.GetAsync("/jobs-service/metrics");
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Contains("WithTelemetry()", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task An_unexpected_failure_or_an_unreachable_store_under_rest_api_is_an_HMC_HttpErrorResponse_too()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddJobwright(o => o.UseSqlite(Path.Combine(_directory, "errors.db")));
        builder.Services.AddJobwrightServer();
        await using var app = builder.Build();
        app.MapJobwright();
        // Endpoints of the host's own under /rest/api/ get the HMC's error bodies from Jobwright's pipeline.
        app.MapGet("/rest/api/uom/Broken", Microsoft.AspNetCore.Http.IResult () => throw new InvalidOperationException("a bug"));
        app.MapGet("/rest/api/uom/Away", Microsoft.AspNetCore.Http.IResult () => throw new Jobwright.Storage.StoreUnavailableException("the database is away"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        foreach (var (path, status) in new[] { ("/rest/api/uom/Broken", 500), ("/rest/api/uom/Away", 503) })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(status, (int)response.StatusCode);
            var error = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(Hmc.HmcTestClient.Web + "HttpErrorResponse").Single();
            Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Element(Hmc.HmcTestClient.Web + "HTTPStatus")!.Value);
            Assert.DoesNotContain("a bug", error.ToString(), StringComparison.Ordinal);
        }

        await app.StopAsync();
    }

    [Fact]
    public async Task A_request_body_limit_under_1024_bytes_is_refused_at_start_naming_the_option()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddJobwright(o => o.UseSqlite(Path.Combine(_directory, "limit.db")));
        builder.Services.AddJobwrightServer(o => o.MaxRequestBodyBytes = 12);
        await using var app = builder.Build();
        app.MapJobwright();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("JobwrightServerOptions.MaxRequestBodyBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_options_out_of_range_are_refused_at_start_naming_each_option()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddJobwright(o =>
        {
            o.UseSqlite(Path.Combine(_directory, "options.db"));
            o.WorkerSlots = 0;
            o.MaxQueuedJobs = -1;
        });
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("JobwrightOptions.WorkerSlots is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("JobwrightOptions.MaxQueuedJobs is -1", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "options.db")), "nothing was opened");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
