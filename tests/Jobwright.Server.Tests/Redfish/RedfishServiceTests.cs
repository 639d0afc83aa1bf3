using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.TestSupport;
using static Jobwright.Server.Tests.Redfish.RedfishHttp;

namespace Jobwright.Server.Tests.Redfish;

/// <summary>The service root, the TaskService and its collection, the sample systems, and Redfish errors for every refusal under /redfish.</summary>
public sealed class RedfishServiceTests : IAsyncLifetime
{
    private LoopbackNode _node = null!;

    private HttpClient Http => _node.Http;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task The_service_root_links_the_services_and_the_OData_documents_describe_them()
    {
        var versions = await GetAsync(Http, "/redfish");
        Assert.Equal("/redfish/v1/", versions.Body["v1"]!.GetValue<string>());

        var root = await GetAsync(Http, "/redfish/v1/");
        Assert.Equal("4.0", root.Response.Headers.GetValues("OData-Version").Single());
        Assert.Equal("#ServiceRoot.v1_17_0.ServiceRoot", root.Body["@odata.type"]!.GetValue<string>());
        Assert.Equal("/redfish/v1", root.Body["@odata.id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(root.Body["RedfishVersion"]!.GetValue<string>()));
        Assert.Equal("/redfish/v1/TaskService", root.Body["Tasks"]!["@odata.id"]!.GetValue<string>());
        Assert.Equal("/redfish/v1/TaskService", root.Body["TaskService"]!["@odata.id"]!.GetValue<string>());
        Assert.Equal("/redfish/v1/SessionService", root.Body["SessionService"]!["@odata.id"]!.GetValue<string>());
        Assert.Equal("/redfish/v1/SessionService/Sessions", root.Body["Links"]!["Sessions"]!["@odata.id"]!.GetValue<string>());

        var odata = await GetAsync(Http, "/redfish/v1/odata");
        Assert.Contains(odata.Body["value"]!.AsArray(), s => s!["url"]!.GetValue<string>() == "/redfish/v1/TaskService");
        var metadata = await Http.GetAsync("/redfish/v1/$metadata");
        Assert.Equal("application/xml", metadata.Content.Headers.ContentType!.MediaType);
        var edmx = System.Xml.Linq.XDocument.Parse(await metadata.Content.ReadAsStringAsync());
        Assert.Contains(edmx.Descendants(), e => e.Name.LocalName == "Include" && (string?)e.Attribute("Namespace") == "Task.v1_7_0");

        var service = await GetAsync(Http, "/redfish/v1/TaskService");
        Assert.True(service.Body["ServiceEnabled"]!.GetValue<bool>());
        Assert.Equal("Oldest", service.Body["CompletedTaskOverWritePolicy"]!.GetValue<string>());
        // The test node keeps ended jobs the default 7 days.
        Assert.Equal(7 * 24 * 60, service.Body["TaskAutoDeleteTimeoutMinutes"]!.GetValue<long>());
        Assert.False(service.Body["LifeCycleEventOnTaskStateChange"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_task_collection_counts_every_job_and_pages_with_a_next_link()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 0, tasks = 0 } }));
        }

        var first = await GetAsync(Http, "/redfish/v1/TaskService/Tasks?$top=2");
        Assert.Equal(5, first.Body["Members@odata.count"]!.GetValue<long>());
        var seen = first.Body["Members"]!.AsArray().Select(m => m!["@odata.id"]!.GetValue<string>()).ToList();
        var next = first.Body["Members@odata.nextLink"]!.GetValue<string>();
        while (true)
        {
            var page = await GetAsync(Http, next);
            seen.AddRange(page.Body["Members"]!.AsArray().Select(m => m!["@odata.id"]!.GetValue<string>()));
            if (page.Body["Members@odata.nextLink"] is not { } link)
            {
                break;
            }

            next = link.GetValue<string>();
        }

        Assert.Equal(ids.OrderDescending().Select(id => $"/redfish/v1/TaskService/Tasks/{id}"), seen);
        var bad = await GetAsync(Http, "/redfish/v1/TaskService/Tasks?$top=zero");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("Base.1.19.QueryParameterValueTypeError", bad.Body["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_Task_shows_its_tasks_as_SubTasks_its_payload_and_the_job_it_is()
    {
        var jobId = await _node.SubmitIdAsync(new { operation = "Simulate", target = "lpar-9", parameters = new { durationMs = 30, tasks = 3, failTasks = "2" } });
        var record = await _node.WaitForTerminalAsync(jobId);
        var task = (await GetAsync(Http, $"/redfish/v1/TaskService/Tasks/{jobId}")).Body;
        Assert.Equal(100, task["PercentComplete"]!.GetValue<int>());
        Assert.False(task["HidePayload"]!.GetValue<bool>());
        Assert.Equal("/redfish/v1/Oem/Jobwright/Operations/Sample/Simulate/Targets/lpar-9/Actions/Run", task["Payload"]!["TargetUri"]!.GetValue<string>());
        Assert.Equal(record["parameters"]!.ToJsonString(), JsonNode.Parse(task["Payload"]!["JsonBody"]!.GetValue<string>())!.ToJsonString());
        Assert.Equal("lpar-9", task["Oem"]!["Jobwright"]!["target"]!.GetValue<string>());

        var subTasks = (await GetAsync(Http, task["SubTasks"]!["@odata.id"]!.GetValue<string>())).Body;
        Assert.Equal(3, subTasks["Members@odata.count"]!.GetValue<int>());
        var states = new List<string>();
        foreach (var member in subTasks["Members"]!.AsArray())
        {
            var sub = (await GetAsync(Http, member!["@odata.id"]!.GetValue<string>())).Body;
            states.Add($"{sub["Name"]}:{sub["TaskState"]}/{sub["TaskStatus"]}");
        }

        var names = record["progress"]!["completedTasks"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal([$"{names[0]}:Completed/OK", $"{names[1]}:Exception/Critical", $"{names[2]}:Completed/OK"], states);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Http, $"/redfish/v1/TaskService/Tasks/{jobId}/SubTasks/4")).Status);
    }

    [Fact]
    public async Task The_sample_systems_power_state_is_what_the_last_reset_job_left()
    {
        var systems = await GetAsync(Http, "/redfish/v1/Systems");
        Assert.Equal(3, systems.Body["Members@odata.count"]!.GetValue<int>());
        var system = (await GetAsync(Http, "/redfish/v1/Systems/2")).Body;
        Assert.Equal("Off", system["PowerState"]!.GetValue<string>());
        var reset = system["Actions"]!["#ComputerSystem.Reset"]!;
        Assert.Equal("/redfish/v1/Systems/2/Actions/ComputerSystem.Reset", reset["target"]!.GetValue<string>());
        Assert.Contains("GracefulRestart", reset["ResetType@Redfish.AllowableValues"]!.AsArray().Select(v => v!.GetValue<string>()));

        var started = await PostAsync(Http, reset["target"]!.GetValue<string>(), """{"ResetType": "On", "durationMs": 10}""");
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        // The answer to the starting request carries the Task without @odata.id (sushy would poll that instead of the monitor).
        Assert.Null(started.Body["@odata.id"]);
        Assert.Equal(started.Location, started.Body["TaskMonitor"]!.GetValue<string>());
        await _node.WaitForTerminalAsync(long.Parse(started.Body["Id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("On", (await GetAsync(Http, "/redfish/v1/Systems/2")).Body["PowerState"]!.GetValue<string>());
        Assert.Equal("Off", (await GetAsync(Http, "/redfish/v1/Systems/1")).Body["PowerState"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Http, "/redfish/v1/Systems/9")).Status);
    }

    [Theory]
    [InlineData("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", """{"ResetType": "Off"}""", 400, "Base.1.19.PropertyValueNotInList")]
    [InlineData("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", """{"ResetType": "On", "Force": true}""", 400, "Base.1.19.PropertyUnknown")]
    [InlineData("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", """{"ResetType": 5}""", 400, "Base.1.19.PropertyValueNotInList")]
    [InlineData("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", """{"ResetType": "On",""", 400, "Base.1.19.MalformedJSON")]
    [InlineData("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", """{"ResetType": {"a": 1}}""", 400, "Base.1.19.PropertyValueTypeError")]
    [InlineData("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", "{}", 400, "Base.1.19.GeneralError")]
    [InlineData("/redfish/v1/Oem/Jobwright/Operations/Sample/Simulate/Actions/Run", """{"durationMs": -5}""", 400, "Base.1.19.PropertyValueFormatError")]
    [InlineData("/redfish/v1/Oem/Jobwright/Operations/Sample/Nothing/Actions/Run", "{}", 404, "Base.1.19.ResourceMissingAtURI")]
    [InlineData("/redfish/v1/Nothing/Here", "{}", 404, "Base.1.19.ResourceMissingAtURI")]
    public async Task Bad_requests_answer_Redfish_errors_naming_the_property_and_make_no_job(string path, string body, int status, string messageId)
    {
        var before = await _node.CountJobsAsync();
        var answer = await PostAsync(Http, path, body);
        Assert.Equal(status, (int)answer.Status);
        Assert.Equal("application/json", answer.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(messageId, answer.Body["error"]!["code"]!.GetValue<string>());
        var info = answer.Body["error"]!["@Message.ExtendedInfo"]!.AsArray();
        Assert.NotEmpty(info);
        Assert.All(info, m => Assert.False(string.IsNullOrEmpty(m!["Message"]!.GetValue<string>())));
        Assert.Equal(before, await _node.CountJobsAsync());
    }

    [Fact]
    public async Task Every_refusal_under_redfish_is_a_Redfish_error_and_a_monitor_that_was_not_made_or_whose_job_is_gone_is_404()
    {
        var notAllowed = await SendAsync(Http, HttpMethod.Put, "/redfish/v1/TaskService", "{}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed.Status);
        Assert.Equal("Base.1.19.GeneralError", notAllowed.Body["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Http, "/redfish/v1/TaskService/Tasks/abc")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Http, "/redfish/v1/TaskService/TaskMonitors/AAAAAAAAAAAAAAAAAAAAAA")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Http, "/redfish/v1/TaskService/TaskMonitors/not-a-monitor")).Status);

        var (monitor, jobId) = await RunAsync(Http, "Sample", "Simulate", """{"durationMs": 0, "tasks": 0}""");
        await _node.WaitForTerminalAsync(jobId);
        // Not guessable: the same id with one character changed names no monitor.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Http, monitor)).Status);
        var id = monitor.Split('/')[^1];
        var altered = monitor[..^id.Length] + (id[0] == 'A' ? 'B' : 'A') + id[1..];
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Http, altered)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/v1/jobs/{jobId}")).StatusCode);
        var gone = await GetAsync(Http, monitor);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("Base.1.19.ResourceMissingAtURI", gone.Body["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_started_as_a_Redfish_action_is_the_same_job_through_the_JSON_and_HMC_APIs_and_JSON_and_HMC_jobs_are_Tasks()
    {
        var (monitor, jobId) = await RunAsync(Http, "Sample", "Simulate", """{"durationMs": 20, "tasks": 2}""");
        var viaJson = await _node.WaitForTerminalAsync(jobId);
        Assert.Equal("COMPLETED_OK", viaJson["status"]!.GetValue<string>());
        var history = (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{jobId}"))!["history"]!.AsArray();
        Assert.Equal(["NOT_STARTED", "RUNNING", "COMPLETED_OK"], history.Select(h => h!["to"]!.GetValue<string>()));
        var hmc = new Hmc.HmcTestClient(Http);
        await hmc.LogOnAsync();
        var hmcJob = await hmc.JobAsync(jobId);
        Assert.Equal("COMPLETED_OK", Hmc.HmcTestClient.Value(hmcJob, "Status"));
        Assert.Equal(viaJson["results"]!["returnCode"]!.GetValue<string>(), Hmc.HmcTestClient.Result(hmcJob, "returnCode"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Http, monitor)).Status);

        // A job invoked through the HMC API is a Task too.
        var invoked = await hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/Sample/do/Simulate", Hmc.HmcTestClient.JobRequest("Simulate", "Sample", ("durationMs", "0"), ("tasks", "0")));
        var hmcJobId = Hmc.HmcTestClient.Value(await Hmc.HmcTestClient.ObjectAsync(invoked), "JobID");
        await _node.WaitForTerminalAsync(long.Parse(hmcJobId, System.Globalization.CultureInfo.InvariantCulture));
        var hmcTask = (await GetAsync(Http, $"/redfish/v1/TaskService/Tasks/{hmcJobId}")).Body;
        Assert.Equal("COMPLETED_OK", hmcTask["Oem"]!["Jobwright"]!["status"]!.GetValue<string>());
        Assert.Equal("/redfish/v1/Oem/Jobwright/Operations/Sample/Simulate/Actions/Run", hmcTask["Payload"]!["TargetUri"]!.GetValue<string>());

        var fromJson = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 0, tasks = 0 } });
        await _node.WaitForTerminalAsync(fromJson);
        var task = (await GetAsync(Http, $"/redfish/v1/TaskService/Tasks/{fromJson}")).Body;
        Assert.Equal("Completed", task["TaskState"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Http, task["TaskMonitor"]!.GetValue<string>())).Status);
    }
}
