using System.Net;
using Jobwright.Server.Tests.Declared;
using Jobwright.TestSupport;
using static Jobwright.Server.Tests.Redfish.RedfishHttp;

namespace Jobwright.Server.Tests.Redfish;

/// <summary>A declared operation binds itself to a Redfish action path in its file (docs/operations.md, <c>redfishAction</c>).</summary>
public sealed class RedfishDeclaredActionTests : IAsyncLifetime
{
    private const string Yaml = """
        operations:
          - name: Reset
            group: Manager
            redfishAction: "Managers/{target}/Actions/Manager.Reset"
            parameters:
              ResetType: { type: string, required: true, enum: [GracefulRestart, ForceRestart] }
            steps:
              - name: Restart the manager
                run: ["/usr/bin/printf", "%s", "{ResetType}"]
          - name: SetPassword
            group: Manager
            redfishAction: "Managers/{target}/Actions/Oem/Jobwright.SetPassword"
            parameters:
              Password: { type: string, required: true, sensitive: true }
            steps:
              - name: Check
                run: ["/bin/sh", "-c", "test -n \"$JOBWRIGHT_PASSWORD\""]
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
    private LoopbackNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await TestNode.StartAsync(settings: s => s with { OperationsFile = DeclaredTestFiles.Write(_directory, text: Yaml), Samples = false });

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_POST_to_the_bound_path_runs_the_operation_on_the_target_it_names()
    {
        var started = await PostAsync(_node.Http, "/redfish/v1/Managers/bmc-1/Actions/Manager.Reset", """{"ResetType": "ForceRestart"}""");
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        var jobId = long.Parse(started.Body["Id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var job = await _node.WaitForTerminalAsync(jobId);
        Assert.Equal("COMPLETED_OK", TestNode.Status(job));
        Assert.Equal("Manager/Reset bmc-1", $"{job["group"]}/{job["operation"]} {job["target"]}");

        var final = await GetAsync(_node.Http, started.Location!);
        Assert.Equal(HttpStatusCode.OK, final.Status);
        Assert.Equal("ForceRestart", final.Body["Results"]!["Restart the manager.stdout"]!.GetValue<string>());
        var task = (await GetAsync(_node.Http, $"/redfish/v1/TaskService/Tasks/{jobId}")).Body;
        Assert.Equal("/redfish/v1/Managers/bmc-1/Actions/Manager.Reset", task["Payload"]!["TargetUri"]!.GetValue<string>());

        var refused = await PostAsync(_node.Http, "/redfish/v1/Managers/bmc-1/Actions/Manager.Reset", """{"ResetType": "On"}""");
        Assert.Equal("Base.1.19.PropertyValueNotInList", refused.Body["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(_node.Http, "/redfish/v1/Managers/bmc-1/Actions/Manager.Other", "{}")).Status);
    }

    [Fact]
    public async Task A_Task_of_an_operation_with_a_sensitive_parameter_hides_its_payload()
    {
        const string Secret = "hunter2-not-shown";
        var started = await PostAsync(_node.Http, "/redfish/v1/Managers/bmc-2/Actions/Oem/Jobwright.SetPassword", $$"""{"Password": "{{Secret}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        Assert.DoesNotContain(Secret, started.Body.ToJsonString(), StringComparison.Ordinal);
        var jobId = started.Body["Id"]!.GetValue<string>();
        Assert.Equal("COMPLETED_OK", TestNode.Status(await _node.WaitForTerminalAsync(long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture))));
        var task = (await GetAsync(_node.Http, $"/redfish/v1/TaskService/Tasks/{jobId}")).Body;
        Assert.True(task["HidePayload"]!.GetValue<bool>());
        Assert.Null(task["Payload"]);
        Assert.DoesNotContain(Secret, task.ToJsonString(), StringComparison.Ordinal);
    }
}
