using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Hmc;

/// <summary>Writes an HMC document in the form the client asked for: an Atom entry (default), the bare XML object, or its JSON variant.</summary>
internal static class HmcResponses
{
    public static IResult Document(HttpRequest request, int status, XElement document, string? selfLink)
    {
        var type = document.Name.LocalName;
        var accept = request.Headers.Accept.ToString();
        if (accept.Contains(HmcXml.JsonContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Text(HmcJson.From(document).ToJsonString(), $"{HmcXml.JsonContentType}; type={type}", Encoding.UTF8, status);
        }

        if (accept.Contains(HmcXml.XmlContentType, StringComparison.OrdinalIgnoreCase) && !accept.Contains(HmcXml.AtomContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Xml(document, HmcXml.TypedXml(type), status);
        }

        var entry = HmcXml.Entry(HmcDocuments.EntryId($"{type}:{selfLink ?? request.Path}"), type, request.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), selfLink, document);
        return Xml(entry, HmcXml.AtomContentType, status);
    }

    public static IResult Error(HttpRequest request, int status, string reasonCode, string message) =>
        Document(request, status, HmcDocuments.HttpErrorResponse(status, request.Path + request.QueryString, reasonCode, message), null);

    private static IResult Xml(XElement element, string contentType, int status) =>
        Results.Text(Prefixed(XmlChars.Writable(element).ToString(SaveOptions.None)), contentType, Encoding.UTF8, status);

    // The HMC writes its root as <JobResponse:JobResponse …> with unprefixed children; XLinq writes one
    // prefix per namespace, so the root's tag is renamed in the text to look exactly like the HMC's.
    private static string Prefixed(string xml)
    {
        foreach (var root in new[] { "JobResponse", "JobRequest", "HttpErrorResponse" })
        {
            var open = $"<{root} xmlns:{root}=";
            var at = xml.IndexOf(open, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var close = xml.LastIndexOf($"</{root}>", StringComparison.Ordinal);
            var text = new StringBuilder(xml);
            if (close > at)
            {
                text.Replace($"</{root}>", $"</{root}:{root}>", close, root.Length + 3);
            }

            text.Replace($"<{root} ", $"<{root}:{root} ", at, root.Length + 2);
            return text.ToString();
        }

        return xml;
    }
}
