using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>Talks to a node the way HMC clients do: log on, then send XML with the X-API-Session header.</summary>
public sealed class HmcTestClient(HttpClient http)
{
    public static readonly XNamespace Web = "http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/";
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static string SamplesDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "HmcSamples");

    public string? Session { get; private set; }

    public HttpClient Http { get; } = http;

    public static string LogonRequest(string user, string password) =>
        $"""<LogonRequest xmlns="{Web.NamespaceName}" schemaVersion="V1_0"><Metadata><Atom/></Metadata><UserID kb="CUR" kxe="false">{user}</UserID><Password kb="CUR" kxe="false">{password}</Password></LogonRequest>""";

    public async Task LogOnAsync(string user = "hscroot", string password = "abc123")
    {
        var response = await SendAsync(HttpMethod.Put, "/rest/api/web/Logon", LogonRequest(user, password), "LogonRequest");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Session = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element(Web + "X-API-Session")!.Value;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string type = "JobRequest", string? accept = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (Session is not null)
        {
            request.Headers.Add("X-API-Session", Session);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", $"application/vnd.ibm.powervm.web+xml; type={type}");
        }

        return await Http.SendAsync(request);
    }

    /// <summary>The HMC object inside an answer (the entry's content, or the bare document).</summary>
    public static async Task<XElement> ObjectAsync(HttpResponseMessage response)
    {
        var root = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        return root.Name == Atom + "entry" ? root.Element(Atom + "content")!.Elements().Single() : root;
    }

    public async Task<XElement> JobAsync(long jobId)
    {
        var response = await SendAsync(HttpMethod.Get, $"/rest/api/uom/jobs/{jobId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ObjectAsync(response);
    }

    public static string Value(XElement job, string name) => job.Element(Web + name)?.Value ?? string.Empty;

    public static string? Result(XElement job, string name) =>
        job.Element(Web + "Results")?.Elements(Web + "JobParameter")
            .FirstOrDefault(p => p.Element(Web + "ParameterName")?.Value == name)?.Element(Web + "ParameterValue")?.Value;

    /// <summary>A JobRequest with these parameters, in the shape of the sample request.</summary>
    public static string JobRequest(string operation, string group, params (string Name, string Value)[] parameters)
    {
        var request = XDocument.Load(Path.Combine(SamplesDirectory, "job_request_power_off.xml"));
        var jobRequest = request.Root!.Element(Atom + "content")!.Element(Web + "JobRequest")!;
        var requested = jobRequest.Element(Web + "RequestedOperation")!;
        requested.Element(Web + "OperationName")!.Value = operation;
        requested.Element(Web + "GroupName")!.Value = group;
        var list = jobRequest.Element(Web + "JobParameters")!;
        foreach (var (name, value) in parameters)
        {
            list.Add(new XElement(Web + "JobParameter", new XAttribute("schemaVersion", "V1_0"),
                new XElement(Web + "Metadata", new XElement(Web + "Atom")),
                new XElement(Web + "ParameterName", new XAttribute("kb", "ROR"), new XAttribute("kxe", "false"), name),
                new XElement(Web + "ParameterValue", new XAttribute("kb", "CUR"), new XAttribute("kxe", "false"), value)));
        }

        return request.ToString();
    }
}
