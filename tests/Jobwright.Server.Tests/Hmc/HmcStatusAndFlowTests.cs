using System.Globalization;
using System.Net;
using System.Xml.Linq;
using static Jobwright.Server.Tests.Hmc.HmcTestClient;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>The ten statuses seen through the HMC API, and the way HMC clients drive a node.</summary>
public sealed class HmcStatusAndFlowTests : HmcTestBase
{
    [Theory]
    [InlineData("COMPLETED_OK", "Sample", "Simulate", "outcome=ok")]
    [InlineData("COMPLETED_WITH_WARNINGS", "Sample", "Simulate", "failTasks=2")]
    [InlineData("COMPLETED_WITH_ERROR", "Sample", "Simulate", "outcome=rerun")]
    [InlineData("FAILED_TO_START", "Sample", "BrokenHandler")]
    [InlineData("FAILED_BEFORE_COMPLETION", "Sample", "Simulate", "outcome=throw")]
    [InlineData("FAILED_BEFORE_COMPLETION_RETRY", "Sample", "Simulate", "outcome=busy")]
    public async Task A_terminal_status_reads_the_same_through_the_HMC_API(string status, string group, string operation, params string[] parameters)
    {
        (string, string)[] given = operation == "Simulate" ? [("durationMs", "20"), .. parameters.Select(Split)] : [];
        var id = await InvokeAsync($"/rest/api/uom/{group}/do/{operation}", group, operation, given);
        var record = await Node.WaitForTerminalAsync(id);
        Assert.Equal(status, TestNode.Status(record));
        var job = await Hmc.JobAsync(id);
        Assert.Equal(status, Value(job, "Status"));
        Assert.Equal(record["results"]!["returnCode"]!.GetValue<string>(), Result(job, "returnCode"));
        if (status != "COMPLETED_OK")
        {
            Assert.False(string.IsNullOrEmpty(Result(job, "result")));
        }

        // Clients read ResponseException/Message of every failed job (and say only "Job failed." without it).
        var exception = job.Element(Web + "ResponseException");
        Assert.Equal(status != "COMPLETED_OK", exception is not null);
        if (exception is not null)
        {
            var expected = record["error"]?["message"]?.GetValue<string>() ?? record["results"]!["result"]!.GetValue<string>();
            Assert.Equal(expected, exception.Element(Web + "Message")!.Value);
            Assert.Null(exception.Element(Web + "StackTrace"));
        }

        if (status == "FAILED_BEFORE_COMPLETION")
        {
            Assert.Equal("simulated failure: the handler threw", exception!.Element(Web + "Message")!.Value);
        }
    }

    [Fact]
    public async Task NOT_STARTED_RUNNING_and_both_cancels_read_the_same_through_the_HMC_API()
    {
        var running = await InvokeAsync("/rest/api/uom/Sample/t1/do/Simulate", "Sample", "Simulate", ("durationMs", "30000"));
        await Node.WaitForStatusAsync(running, "RUNNING");
        var waiting = await InvokeAsync("/rest/api/uom/Sample/t1/do/Simulate", "Sample", "Simulate", ("durationMs", "10"));
        Assert.Equal("RUNNING", Value(await Hmc.JobAsync(running), "Status"));
        var notStarted = await Hmc.JobAsync(waiting);
        Assert.Equal("NOT_STARTED", Value(notStarted, "Status"));
        Assert.Equal("0", Value(notStarted, "TimeStarted"));
        Assert.Equal("0", Value(notStarted, "TimeCompleted"));

        var canceledWaiting = await Hmc.SendAsync(HttpMethod.Post, $"/rest/api/uom/jobs/{waiting}/cancel");
        Assert.Equal(HttpStatusCode.OK, canceledWaiting.StatusCode);
        Assert.Equal("CANCELED_BEFORE_START", Value(await ObjectAsync(canceledWaiting), "Status"));

        Assert.Equal(HttpStatusCode.OK, (await Hmc.SendAsync(HttpMethod.Put, $"/rest/api/uom/jobs/{running}/cancel")).StatusCode);
        await Node.WaitForTerminalAsync(running);
        Assert.Equal("CANCELED_WHILE_RUNNING", Value(await Hmc.JobAsync(running), "Status"));
    }

    [Fact]
    public async Task An_HMC_client_logs_on_appends_its_parameters_to_the_template_invokes_polls_every_second_deletes_and_logs_off()
    {
        // As pypowervm does: fetch the template, append its own JobParameters to the template's (empty) ones, PUT it back.
        var template = await ObjectAsync(await Hmc.SendAsync(HttpMethod.Get, "/rest/api/uom/LogicalPartition/lpar-5/do/PowerOff"));
        var jobParameters = template.Element(Web + "JobParameters")!;
        Assert.Empty(jobParameters.Elements(Web + "JobParameter"));
        jobParameters.Add(Parameter("immediate", "true"), Parameter("durationMs", "300"));

        var put = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/LogicalPartition/lpar-5/do/PowerOff", template.ToString());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var id = long.Parse(Value(await ObjectAsync(put), "JobID"), CultureInfo.InvariantCulture);

        // As pypowervm does: poll the job once a second until its status is terminal.
        using var everySecond = new PeriodicTimer(TimeSpan.FromSeconds(1));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        XElement job;
        do
        {
            await everySecond.WaitForNextTickAsync(limit.Token);
            job = await Hmc.JobAsync(id);
        }
        while (Value(job, "Status") is "NOT_STARTED" or "RUNNING");

        Assert.Equal("COMPLETED_OK", Value(job, "Status"));
        Assert.Equal("Stop partition immediately", job.Element(Web + "Progress")!.Element(Web + "CompletedTasks")!.Elements(Web + "NLSMessage").ElementAt(1).Element(Web + "UntranslatedMessage")!.Value);
        Assert.Equal(HttpStatusCode.NoContent, (await Hmc.SendAsync(HttpMethod.Delete, $"/rest/api/uom/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Hmc.SendAsync(HttpMethod.Get, $"/rest/api/uom/jobs/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Hmc.SendAsync(HttpMethod.Delete, "/rest/api/web/Logon")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Hmc.SendAsync(HttpMethod.Get, "/rest/api/uom/jobs/1")).StatusCode);
    }

    [Fact]
    public async Task A_parameter_given_twice_with_the_same_value_is_accepted_and_with_different_values_is_refused_naming_it()
    {
        // A client that appends to the template listing every default repeats some of them.
        var template = await ObjectAsync(await Hmc.SendAsync(HttpMethod.Get, "/rest/api/uom/LogicalPartition/lpar-7/do/PowerOff?parameters=all"));
        var jobParameters = template.Element(Web + "JobParameters")!;
        Assert.Contains(jobParameters.Elements(Web + "JobParameter"), p => p.Element(Web + "ParameterName")!.Value == "operation" && p.Element(Web + "ParameterValue")!.Value == "shutdown");
        jobParameters.Add(Parameter("operation", "shutdown"), Parameter("durationMs", "3000"));
        var same = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/LogicalPartition/lpar-7/do/PowerOff", template.ToString());
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);

        jobParameters.Add(Parameter("operation", "osshutdown"));
        var before = await Node.CountJobsAsync();
        var different = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/LogicalPartition/lpar-7/do/PowerOff", template.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, different.StatusCode);
        Assert.Contains("'operation' is given twice, with different values", Value(await ObjectAsync(different), "Message"), StringComparison.Ordinal);
        Assert.Equal(before, await Node.CountJobsAsync());
    }

    [Fact]
    public async Task A_bare_JobRequest_with_ProgressType_built_without_a_template_runs()
    {
        // Other clients never fetch a template: they build the JobRequest themselves, with a ProgressType.
        var request = XElement.Parse(JobRequest("PowerOn", "LogicalPartition", ("bootmode", "sms"), ("durationMs", "10"))).Element(Atom + "content")!.Element(Web + "JobRequest")!;
        request.Element(Web + "RequestedOperation")!.Add(new XElement(Web + "ProgressType", new XAttribute("kb", "ROR"), new XAttribute("kxe", "false"), "DISCRETE"));
        var put = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/LogicalPartition/lpar-8/do/PowerOn", request.ToString());
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var id = long.Parse(Value(await ObjectAsync(put), "JobID"), CultureInfo.InvariantCulture);
        await Node.WaitForTerminalAsync(id);
        var job = await Hmc.JobAsync(id);
        Assert.Equal("COMPLETED_OK", Value(job, "Status"));
        Assert.Equal("sms", Result(job, "bootmode"));
    }

    private static XElement Parameter(string name, string value) =>
        new(Web + "JobParameter", new XAttribute("schemaVersion", "V1_0"), new XElement(Web + "Metadata", new XElement(Web + "Atom")),
            new XElement(Web + "ParameterName", new XAttribute("kb", "ROR"), new XAttribute("kxe", "false"), name),
            new XElement(Web + "ParameterValue", new XAttribute("kb", "CUR"), new XAttribute("kxe", "false"), value));

    [Fact]
    public async Task An_HMC_client_cancels_a_running_job()
    {
        var id = await InvokeAsync("/rest/api/uom/LogicalPartition/lpar-6/do/PowerOn", "LogicalPartition", "PowerOn", ("durationMs", "30000"));
        await Node.WaitForStatusAsync(id, "RUNNING");
        var cancel = await Hmc.SendAsync(HttpMethod.Post, $"/rest/api/uom/jobs/{id}/cancel");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await Node.WaitForTerminalAsync(id);
        Assert.Equal("CANCELED_WHILE_RUNNING", Value(await Hmc.JobAsync(id), "Status"));
        var again = await Hmc.SendAsync(HttpMethod.Post, $"/rest/api/uom/jobs/{id}/cancel");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("409", Value(await ObjectAsync(again), "HTTPStatus"));
    }

    [Fact]
    public async Task Without_a_valid_session_every_HMC_path_is_401_and_a_logon_without_a_password_is_refused()
    {
        var anonymous = new HmcTestClient(Node.Http);
        foreach (var path in new[] { "/rest/api/uom/jobs/1", "/rest/api/uom/LogicalPartition/x/do/PowerOn", "/rest/api/uom/Cluster/do/Create" })
        {
            var response = await anonymous.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("401", Value(await ObjectAsync(response), "HTTPStatus"));
        }

        var put = await anonymous.SendAsync(HttpMethod.Put, "/rest/api/uom/Cluster/do/Create", JobRequest("Create", "Cluster"));
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        var loggedOff = await anonymous.SendAsync(HttpMethod.Delete, "/rest/api/web/Logon");
        Assert.Equal(HttpStatusCode.Unauthorized, loggedOff.StatusCode);
        Assert.Equal(0, await Node.CountJobsAsync());

        var noPassword = await anonymous.SendAsync(HttpMethod.Put, "/rest/api/web/Logon", LogonRequest("hscroot", string.Empty), "LogonRequest");
        Assert.Equal(HttpStatusCode.Unauthorized, noPassword.StatusCode);
    }

    private static (string, string) Split(string pair) => (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);

    private async Task<long> InvokeAsync(string path, string group, string operation, params (string Name, string Value)[] parameters)
    {
        var response = await Hmc.SendAsync(HttpMethod.Put, path, JobRequest(operation, group, parameters));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return long.Parse(Value(await ObjectAsync(response), "JobID"), CultureInfo.InvariantCulture);
    }
}
