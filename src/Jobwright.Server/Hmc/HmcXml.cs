using System.Xml.Linq;

namespace Jobwright.Server.Hmc;

/// <summary>The names of the HMC's XML: namespaces, content types, and the attributes every element carries.</summary>
internal static class HmcXml
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace Web = "http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/";
    public const string SchemaVersion = "V1_0";
    public const string AtomContentType = "application/atom+xml";
    public const string XmlContentType = "application/vnd.ibm.powervm.web+xml";
    public const string JsonContentType = "application/vnd.ibm.powervm.web+json";

    public static string TypedXml(string type) => $"{XmlContentType}; type={type}";

    /// <summary><c>&lt;Metadata&gt;&lt;Atom/&gt;&lt;/Metadata&gt;</c>, which starts every HMC object.</summary>
    public static XElement Metadata() => new(Web + "Metadata", new XElement(Web + "Atom"));

    /// <summary>A leaf with the HMC's <c>kb</c> and <c>kxe</c> attributes.</summary>
    public static XElement Leaf(string name, object? value, string kb = "ROR") =>
        new(Web + name, new XAttribute("kb", kb), new XAttribute("kxe", "false"), value);

    /// <summary>A container with <c>kb</c>, <c>kxe</c> and <c>schemaVersion</c>, starting with its Metadata.</summary>
    public static XElement Group(string name, string kb, params object?[] children) =>
        new(Web + name, new XAttribute("kb", kb), new XAttribute("kxe", "false"), new XAttribute("schemaVersion", SchemaVersion), Metadata(), children);

    /// <summary>An object with only <c>schemaVersion</c> (JobParameter, NLSMessage), starting with its Metadata.</summary>
    public static XElement Item(string name, params object?[] children) =>
        new(Web + name, new XAttribute("schemaVersion", SchemaVersion), Metadata(), children);

    /// <summary>The root of an HMC document, e.g. <c>JobResponse:JobResponse</c>, with the namespace declarations of the samples.</summary>
    public static XElement Root(string name, params object?[] children) =>
        new(Web + name,
            new XAttribute(XNamespace.Xmlns + name, Web.NamespaceName),
            new XAttribute("xmlns", Web.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "ns2", "http://www.w3.org/XML/1998/namespace/k2"),
            new XAttribute("schemaVersion", SchemaVersion),
            Metadata(),
            children);

    /// <summary>The Atom entry an HMC wraps every object in.</summary>
    public static XElement Entry(string id, string title, DateTimeOffset published, string? selfLink, XElement content) =>
        new(Atom + "entry",
            new XAttribute("xmlns", Atom.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "ns2", "http://a9.com/-/spec/opensearch/1.1/"),
            new XAttribute(XNamespace.Xmlns + "ns3", "http://www.w3.org/1999/xhtml"),
            new XElement(Atom + "id", id),
            new XElement(Atom + "title", title),
            new XElement(Atom + "published", published.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture)),
            selfLink is null ? null : new XElement(Atom + "link", new XAttribute("rel", "SELF"), new XAttribute("href", selfLink)),
            new XElement(Atom + "author", new XElement(Atom + "name", "Jobwright")),
            new XElement(Atom + "content", new XAttribute("type", TypedXml(title)), content));
}
