using System.Net;
using System.Xml.Linq;
using static Jobwright.Server.Tests.Hmc.HmcTestClient;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>The HMC's own request samples are accepted as they are, and our JobResponse has the samples' structure.</summary>
public sealed class HmcSampleTests : HmcTestBase
{
    [Theory]
    [InlineData("job_request_power_off.xml", "/rest/api/uom/LogicalPartition/lpar-7/do/PowerOff", "LogicalPartition", "PowerOff", "lpar-7")]
    [InlineData("job_request_power_off.xml", "/rest/api/uom/ManagedSystem/sys-1/LogicalPartition/lpar-8/do/PowerOff", "LogicalPartition", "PowerOff", "lpar-8")]
    [InlineData("cluster_create_job_template.xml", "/rest/api/uom/Cluster/do/Create", "Cluster", "Create", null)]
    public async Task A_request_sample_is_accepted_as_it_is_and_is_the_same_job_in_the_JSON_API(string sample, string path, string group, string operation, string? target)
    {
        var response = await Hmc.SendAsync(HttpMethod.Put, path, await File.ReadAllTextAsync(Path.Combine(SamplesDirectory, sample)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var job = await ObjectAsync(response);
        Assert.Equal("JobResponse", job.Name.LocalName);
        var id = long.Parse(Value(job, "JobID"), System.Globalization.CultureInfo.InvariantCulture);

        var record = await Node.GetAsync(id);
        Assert.Equal(operation, record["operation"]!.GetValue<string>());
        Assert.Equal(group, record["group"]!.GetValue<string>());
        Assert.Equal(target, record["target"]?.GetValue<string>());
        Assert.Equal("hscroot", record["submitter"]!.GetValue<string>());
        await Node.WaitForTerminalAsync(id);
    }

    [Fact]
    public async Task The_template_is_the_HMC_s_with_empty_JobParameters_and_lists_every_parameter_with_its_default_when_asked()
    {
        var empty = await ObjectAsync(await Hmc.SendAsync(HttpMethod.Get, "/rest/api/uom/LogicalPartition/lpar-1/do/PowerOff"));
        Assert.Equal(Web + "JobRequest", empty.Name);
        Assert.Empty(empty.Element(Web + "JobParameters")!.Elements(Web + "JobParameter"));

        var response = await Hmc.SendAsync(HttpMethod.Get, "/rest/api/uom/LogicalPartition/lpar-1/do/PowerOff?parameters=all");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var template = await ObjectAsync(response);
        Assert.Equal(Web + "JobRequest", template.Name);
        Assert.Equal("PowerOff", template.Element(Web + "RequestedOperation")!.Element(Web + "OperationName")!.Value);
        var parameters = template.Element(Web + "JobParameters")!.Elements(Web + "JobParameter")
            .ToDictionary(p => p.Element(Web + "ParameterName")!.Value, p => p.Element(Web + "ParameterValue")!.Value);
        Assert.Equal(new Dictionary<string, string> { ["operation"] = "shutdown", ["immediate"] = "false", ["restart"] = "false", ["durationMs"] = "3000" }, parameters);
        // The request samples are empty templates; a JobRequest with parameters is echoed in every JobResponse as JobRequestInstance.
        AssertStructureOfSamples(template, "job_request_power_off.xml", "cluster_create_job_template.xml", "job_response_completed_failed.xml");
    }

    [Theory]
    [InlineData("failTasks", "2")]
    [InlineData("outcome", "precondition")]
    [InlineData("outcome", "throw")]
    [InlineData("outcome", "ok")]
    public async Task Every_element_of_our_JobResponse_stands_where_the_samples_have_it(string name, string value)
    {
        var put = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/Sample/t1/do/Simulate", JobRequest("Simulate", "Sample", ("durationMs", "30"), (name, value)));
        var id = long.Parse(Value(await ObjectAsync(put), "JobID"), System.Globalization.CultureInfo.InvariantCulture);
        await Node.WaitForTerminalAsync(id);
        var response = await Hmc.SendAsync(HttpMethod.Get, $"/rest/api/uom/jobs/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("<JobResponse:JobResponse xmlns:JobResponse=\"http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/\"", text, StringComparison.Ordinal);
        var entry = XDocument.Parse(text).Root!;
        Assert.Equal(["id", "title", "published", "link", "author", "content"], entry.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("SELF", entry.Element(Atom + "link")!.Attribute("rel")!.Value);
        Assert.EndsWith($"/rest/api/uom/jobs/{id}", entry.Element(Atom + "link")!.Attribute("href")!.Value, StringComparison.Ordinal);
        Assert.Equal("application/vnd.ibm.powervm.web+xml; type=JobResponse", entry.Element(Atom + "content")!.Attribute("type")!.Value);

        var job = await ObjectAsync(response);
        AssertStructureOfSamples(job, "job_response_completed_ok.xml", "job_response_completed_failed.xml", "job_response_exception.xml");
        Assert.Equal("V1_0", job.Attribute("schemaVersion")!.Value);
        Assert.True(long.Parse(Value(job, "TimeCompleted"), System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(Value(job, "TimeStarted"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Sample/t1/do/Simulate", job.Element(Web + "RequestURL")!.Attribute("href")!.Value);
        Assert.Equal("t1", Value(job, "TargetUuid"));
        Assert.NotNull(Result(job, "returnCode"));
    }

    [Fact]
    public async Task The_JSON_variant_has_the_same_element_names()
    {
        var put = await Hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/Sample/do/Simulate", JobRequest("Simulate", "Sample", ("durationMs", "10"), ("tasks", "1")));
        var id = long.Parse(Value(await ObjectAsync(put), "JobID"), System.Globalization.CultureInfo.InvariantCulture);
        await Node.WaitForTerminalAsync(id);
        var response = await Hmc.SendAsync(HttpMethod.Get, $"/rest/api/uom/jobs/{id}", accept: "application/vnd.ibm.powervm.web+json");
        Assert.StartsWith("application/vnd.ibm.powervm.web+json", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["JobResponse"]!;
        Assert.Equal("COMPLETED_OK", json["Status"]!.GetValue<string>());
        Assert.Equal($"{id}", json["JobID"]!.GetValue<string>());
        Assert.Equal("returnCode", json["Results"]!["JobParameter"]![0]!["ParameterName"]!.GetValue<string>());
        Assert.Equal("Task 1 of 1", json["Progress"]!["CompletedTasks"]!["NLSMessage"]![0]!["UntranslatedMessage"]!.GetValue<string>());

        var bare = await Hmc.SendAsync(HttpMethod.Get, $"/rest/api/uom/jobs/{id}", accept: "application/vnd.ibm.powervm.web+xml; type=JobResponse");
        Assert.Equal("application/vnd.ibm.powervm.web+xml; type=JobResponse", bare.Content.Headers.ContentType!.ToString().Replace("; charset=utf-8", string.Empty, StringComparison.Ordinal));
        Assert.Equal(Web + "JobResponse", XDocument.Parse(await bare.Content.ReadAsStringAsync()).Root!.Name);
    }

    [Fact]
    public async Task Our_HttpErrorResponse_has_the_samples_structure()
    {
        var response = await Hmc.SendAsync(HttpMethod.Get, "/rest/api/uom/jobs/424242");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await ObjectAsync(response);
        AssertStructureOfSamples(error, "fake_httperror.xml", "fake_httperror_service_unavail.xml");
        Assert.Equal("404", Value(error, "HTTPStatus"));
        Assert.Equal("/rest/api/uom/jobs/424242", Value(error, "RequestURI"));
    }

    /// <summary>Every element we write stands at a path the samples have, with their attributes, in their sibling order.</summary>
    private static void AssertStructureOfSamples(XElement ours, params string[] samples)
    {
        var known = new Dictionary<string, HashSet<string>>();
        var order = new Dictionary<string, List<string>>();
        foreach (var sample in samples)
        {
            var root = XDocument.Load(Path.Combine(SamplesDirectory, sample)).Root!.Element(Atom + "content")!.Elements().Single();
            foreach (var element in root.DescendantsAndSelf())
            {
                var path = PathOf(element);
                foreach (var registered in new[] { path, path.Replace("JobResponse/JobRequestInstance", "JobRequest", StringComparison.Ordinal) }.Distinct())
                {
                    known.TryAdd(registered, []);
                    known[registered].UnionWith(element.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => a.Name.LocalName));
                    var children = element.Elements().Select(e => e.Name.LocalName).Distinct().ToList();
                    order[registered] = order.TryGetValue(registered, out var seen) ? Merge(seen, children) : children;
                }
            }
        }

        foreach (var element in ours.DescendantsAndSelf())
        {
            var path = PathOf(element);
            Assert.True(known.ContainsKey(path), $"{path} is not in the samples");
            foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
            {
                Assert.True(known[path].Contains(attribute.Name.LocalName), $"{path}/@{attribute.Name.LocalName} is not in the samples");
            }

            var names = element.Elements().Select(e => e.Name.LocalName).Distinct().ToList();
            var expected = order[path].Where(names.Contains).ToList();
            Assert.True(expected.SequenceEqual(names), $"children of {path}: {string.Join(",", names)} instead of {string.Join(",", expected)}");
        }
    }

    private static List<string> Merge(List<string> first, List<string> second)
    {
        var merged = new List<string>(first);
        var at = 0;
        foreach (var name in second)
        {
            var index = merged.IndexOf(name);
            if (index < 0)
            {
                merged.Insert(at, name);
                at++;
            }
            else
            {
                at = index + 1;
            }
        }

        return merged;
    }

    private static string PathOf(XElement element) =>
        string.Join("/", element.AncestorsAndSelf().Reverse().SkipWhile(e => e.Name.Namespace == Atom).Select(e => e.Name.LocalName));
}
