using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using static Jobwright.Server.Hmc.HmcXml;

namespace Jobwright.Server.Hmc;

/// <summary>Builds the HMC's documents from Jobwright's records, element by element in the order of the HMC's samples.</summary>
internal static class HmcDocuments
{
    public static string RequestUrl(string group, string? target, string operation) =>
        target is null ? $"{group}/do/{operation}" : $"{group}/{target}/do/{operation}";

    public static XElement JobResponse(JobRecord job, bool withStackTrace = false)
    {
        var parameters = job.Parameters.Select(p => Parameter(p.Key, Text(p.Value)));
        var tasks = job.Progress.CompletedTasks.Select(t => Item(
            "NLSMessage",
            Leaf("UntranslatedMessage", t.Status == JobTaskStatus.Ok ? t.Name : $"{t.Name}: {t.Status.ToWire()}{(t.Message is null ? string.Empty : " — " + t.Message)}"),
            Leaf("MessageKey", t.Status.ToWire())));
        var fraction = job.Progress.Fraction ?? (job.Status.IsTerminal() ? 1.0 : null);
        var results = job.Results
            .OrderBy(r => r.Key switch { "returnCode" => 0, "result" => 1, _ => 2 })
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => Parameter(r.Key, r.Value));
        // Clients read ResponseException/Message (falling back to "Job failed."): every failed status carries its text there too.
        var failure = job.Status is JobStatus.NotStarted or JobStatus.Running or JobStatus.CompletedOk
            ? null
            : job.Error?.Message ?? job.Results.GetValueOrDefault("result");

        return Root(
            "JobResponse",
            new XElement(
                Web + "RequestURL",
                new XAttribute("kb", "ROR"),
                new XAttribute("kxe", "false"),
                new XAttribute("href", RequestUrl(job.Group, job.Target, job.Operation)),
                new XAttribute("rel", "via"),
                new XAttribute("title", "The URL to which the JobRequest was submitted.")),
            job.Target is null ? null : Leaf("TargetUuid", job.Target),
            Leaf("JobID", job.JobId),
            Leaf("TimeStarted", job.TimeStarted?.ToUnixTimeMilliseconds() ?? 0),
            Leaf("TimeCompleted", job.TimeCompleted?.ToUnixTimeMilliseconds() ?? 0),
            Leaf("Status", job.Status.ToWire()),
            failure is null ? null : Group(
                "ResponseException",
                "ROR",
                Leaf("Message", failure),
                withStackTrace && job.Error?.StackTrace is { } trace ? Leaf("StackTrace", trace) : null),
            Group(
                "JobRequestInstance",
                "ROR",
                Group("RequestedOperation", "CUR", Leaf("OperationName", job.Operation), Leaf("GroupName", job.Group)),
                Group("JobParameters", "CUR", parameters)),
            Group(
                "Progress",
                "ROO",
                tasks.Any() ? Group("CompletedTasks", "ROR", tasks) : null,
                fraction is { } f ? Leaf("LinearProgress", f.ToString("0.0###", CultureInfo.InvariantCulture)) : null),
            Group("Results", "ROR", results));
    }

    /// <summary>
    /// A JobRequest template as the HMC's: an empty JobParameters, to which a client appends its own. With
    /// <paramref name="withParameters"/>, every declared parameter with its default (or empty).
    /// </summary>
    public static XElement JobRequestTemplate(OperationDefinition operation, bool withParameters) =>
        Root(
            "JobRequest",
            Group("RequestedOperation", "CUR", Leaf("OperationName", operation.Name), Leaf("GroupName", operation.Group)),
            Group(
                "JobParameters",
                "CUR",
                withParameters ? operation.Parameters.Select(p => Parameter(p.Name, p.Sensitive || p.Default is null ? string.Empty : Text(p.Default))) : []));

    public static XElement HttpErrorResponse(int status, string requestUri, string reasonCode, string message) =>
        Root(
            "HttpErrorResponse",
            Leaf("HTTPStatus", status),
            Leaf("RequestURI", requestUri),
            Leaf("ReasonCode", reasonCode),
            Leaf("Message", message, kb: "ROO"));

    public static XElement LogonResponse(string session) =>
        new(Web + "LogonResponse",
            new XAttribute("xmlns", Web.NamespaceName),
            new XAttribute("schemaVersion", SchemaVersion),
            Metadata(),
            new XElement(Web + "X-API-Session", new XAttribute("kb", "ROR"), new XAttribute("kxe", "true"), session));

    /// <summary>A stable Atom id for an object, derived from what it is.</summary>
    public static string EntryId(string what)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(what));
        return new Guid(hash).ToString();
    }

    private static XElement Parameter(string name, string value) =>
        Item("JobParameter", Leaf("ParameterName", name), Leaf("ParameterValue", value, kb: "CUR"));

    private static string Text(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => value.ToJsonString(),
    };
}
