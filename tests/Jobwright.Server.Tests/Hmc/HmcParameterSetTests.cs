using System.Globalization;
using System.Net;
using static Jobwright.Server.Tests.Hmc.HmcTestClient;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>
/// The sample operations take the parameter sets the HMC's own clients send, with the values the HMC
/// documents, and show them in what they do; a value outside the HMC's list is refused naming the
/// parameter and the values it takes.
/// </summary>
public sealed class HmcParameterSetTests : HmcTestBase
{
    public static TheoryData<string, string[], string, string> AcceptedSets => new()
    {
        { "LogicalPartition/lpar-1/do/PowerOn", ["bootmode=sms", "keylock=manual", "bootstring=/pci@0/disk", "force=true", "novsi=false", "LogicalPartitionProfile=prof-uuid", "OperationType=activate"], "bootmode", "sms" },
        { "LogicalPartition/lpar-2/do/PowerOn", ["bootmode=pbl", "keylock=norm", "iIPLsource=b"], "iIPLsource", "b" },
        { "LogicalPartition/lpar-3/do/PowerOn", ["OperationType=netboot", "IPAddress=10.0.0.5", "ServerIPAddress=10.0.0.1", "Gateway=10.0.0.254", "IBMiImageServerDirectory=/install/ibmi"], "OperationType", "netboot" },
        { "LogicalPartition/lpar-4/do/PowerOn", ["OperationType=changeKeylock", "keylock=unknown"], "keylock", "unknown" },
        { "LogicalPartition/lpar-5/do/PowerOn", ["bootmode=dd"], "bootmode", "dd" },
        { "LogicalPartition/lpar-5/do/PowerOn", ["bootmode=ds"], "bootmode", "ds" },
        { "LogicalPartition/lpar-5/do/PowerOn", ["bootmode=of"], "bootmode", "of" },
        { "LogicalPartition/lpar-6/do/PowerOff", ["operation=osshutdown", "immediate=true", "restart=false"], "operation", "osshutdown" },
        { "LogicalPartition/lpar-6/do/PowerOff", ["operation=dumprestart", "restart=true"], "operation", "dumprestart" },
        { "LogicalPartition/lpar-6/do/PowerOff", ["operation=retrydump"], "operation", "retrydump" },
        { "ManagementConsole/do/CLIRunner", ["cmd=lshmc -V", "acknowledgeThisAPIMayGoAwayInTheFuture=true"], "returnCode", "0" },
        {
            "Cluster/do/Create",
            ["clusterXml=<Cluster xmlns=\"http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/\"><ClusterName>ssp-a</ClusterName></Cluster>",
             "sspXml=<SharedStoragePool xmlns=\"http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/\"><StoragePoolName>pool-a</StoragePoolName></SharedStoragePool>"],
            "ClusterName", "ssp-a"
        },
    };

    [Theory]
    [MemberData(nameof(AcceptedSets))]
    public async Task The_HMC_s_parameter_set_is_accepted_and_shows_in_the_job(string path, string[] parameters, string result, string expected)
    {
        var (group, operation) = GroupAndOperation(path);
        (string, string)[] given = [.. parameters.Select(Split), ("durationMs", "10")];
        if (operation == "CLIRunner")
        {
            given = [.. parameters.Select(Split)];
        }

        var put = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/" + path, JobRequest(operation, group, given));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var id = long.Parse(Value(await ObjectAsync(put), "JobID"), CultureInfo.InvariantCulture);
        await Node.WaitForTerminalAsync(id);
        var job = await Hmc.JobAsync(id);
        Assert.Equal("COMPLETED_OK", Value(job, "Status"));
        Assert.Equal(expected, Result(job, result));
    }

    [Fact]
    public async Task Retrydump_is_a_task_path_of_its_own()
    {
        var put = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/LogicalPartition/lpar-9/do/PowerOff", JobRequest("PowerOff", "LogicalPartition", ("operation", "retrydump"), ("durationMs", "10")));
        var id = long.Parse(Value(await ObjectAsync(put), "JobID"), CultureInfo.InvariantCulture);
        await Node.WaitForTerminalAsync(id);
        var tasks = (await Hmc.JobAsync(id)).Element(Web + "Progress")!.Element(Web + "CompletedTasks")!.Elements(Web + "NLSMessage")
            .Select(m => m.Element(Web + "UntranslatedMessage")!.Value).ToArray();
        Assert.Equal(["Validate partition state", "Retry system dump"], tasks);
    }

    [Theory]
    [InlineData("LogicalPartition/lpar-1/do/PowerOn", "bootmode", "fast", "norm")]
    [InlineData("LogicalPartition/lpar-1/do/PowerOn", "keylock", "open", "manual")]
    [InlineData("LogicalPartition/lpar-1/do/PowerOn", "OperationType", "reboot", "netboot")]
    [InlineData("LogicalPartition/lpar-1/do/PowerOn", "iIPLsource", "z", "a")]
    [InlineData("LogicalPartition/lpar-1/do/PowerOff", "operation", "halt", "retrydump")]
    public async Task A_value_outside_the_HMC_s_list_is_refused_naming_the_parameter_and_its_values(string path, string name, string value, string oneAllowed)
    {
        var (group, operation) = GroupAndOperation(path);
        var before = await Node.CountJobsAsync();
        var put = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/" + path, JobRequest(operation, group, (name, value)));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var message = Value(await ObjectAsync(put), "Message");
        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.Contains(oneAllowed, message, StringComparison.Ordinal);
        Assert.Equal(before, await Node.CountJobsAsync());
    }

    private static (string Group, string Operation) GroupAndOperation(string path)
    {
        var parts = path.Split('/');
        return (parts[0], parts[^1]);
    }

    private static (string, string) Split(string pair) => (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
}
