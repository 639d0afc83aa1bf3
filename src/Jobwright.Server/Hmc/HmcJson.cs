using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Jobwright.Server.Hmc;

/// <summary>The JSON variant of an HMC document: the same element names, Metadata and bookkeeping attributes left out.</summary>
internal static class HmcJson
{
    private static readonly HashSet<string> Lists = ["NLSMessage", "JobParameter"];
    private static readonly HashSet<string> Bookkeeping = ["kb", "kxe", "schemaVersion"];

    public static JsonObject From(XElement root) => new() { [root.Name.LocalName] = Convert(root) };

    private static JsonNode? Convert(XElement element)
    {
        var attributes = element.Attributes().Where(a => !a.IsNamespaceDeclaration && !Bookkeeping.Contains(a.Name.LocalName)).ToList();
        var children = element.Elements().Where(e => e.Name.LocalName != "Metadata").ToList();
        if (children.Count == 0 && attributes.Count == 0)
        {
            return JsonValue.Create(element.Value);
        }

        var result = new JsonObject();
        foreach (var attribute in attributes)
        {
            result[attribute.Name.LocalName] = attribute.Value;
        }

        foreach (var group in children.GroupBy(c => c.Name.LocalName))
        {
            result[group.Key] = group.Count() > 1 || Lists.Contains(group.Key)
                ? new JsonArray(group.Select(Convert).ToArray())
                : Convert(group.First());
        }

        return result;
    }
}
