using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Jobwright.Server.Hmc;

/// <summary>A JobRequest as an HMC client sends it: bare, or wrapped in an Atom entry.</summary>
internal sealed record HmcJobRequest(string? OperationName, string? GroupName, JsonObject Parameters)
{
    /// <summary>Reads the request, or says in one sentence what is wrong with it.</summary>
    public static (HmcJobRequest? Request, string? Error) Read(XDocument document)
    {
        var root = document.Root!;
        if (root.Name == HmcXml.Atom + "entry")
        {
            root = root.Element(HmcXml.Atom + "content")?.Elements().FirstOrDefault() ?? root;
        }

        if (root.Name != HmcXml.Web + "JobRequest")
        {
            return (null, $"The body must be a JobRequest in the namespace {HmcXml.Web.NamespaceName}, not {root.Name.LocalName}.");
        }

        var operation = root.Element(HmcXml.Web + "RequestedOperation");
        var parameters = new JsonObject();
        foreach (var parameter in root.Element(HmcXml.Web + "JobParameters")?.Elements(HmcXml.Web + "JobParameter") ?? [])
        {
            var name = parameter.Element(HmcXml.Web + "ParameterName")?.Value.Trim();
            if (string.IsNullOrEmpty(name))
            {
                return (null, "A JobParameter has no ParameterName.");
            }

            // Text or CDATA alike: the element's value.
            var value = parameter.Element(HmcXml.Web + "ParameterValue")?.Value ?? string.Empty;
            if (parameters.TryGetPropertyValue(name, out var given))
            {
                // A client that appends its parameters to a template may repeat one with the same value: harmless.
                if (given!.GetValue<string>() == value)
                {
                    continue;
                }

                return (null, $"The parameter '{name}' is given twice, with different values ('{given}' and '{value}'); give it once.");
            }

            parameters[name] = value;
        }

        return (new HmcJobRequest(
            operation?.Element(HmcXml.Web + "OperationName")?.Value.Trim(),
            operation?.Element(HmcXml.Web + "GroupName")?.Value.Trim(),
            parameters), null);
    }
}
