using System.Xml;
using System.Xml.Linq;

namespace Jobwright.Server.Hmc;

/// <summary>
/// Reads untrusted XML: no DTD (so no entity expansion and no external entities), no resolver, and
/// limits on size, depth and element count. A document past a limit is refused, not half-read.
/// </summary>
internal static class SafeXml
{
    public const int MaxDepth = 32;
    public const int MaxElements = 10_000;

    public static XDocument Parse(byte[] document)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = document.Length + 1,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };

        // First pass: count and measure before anything is built.
        using (var reader = XmlReader.Create(new MemoryStream(document), settings))
        {
            var elements = 0;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.Depth >= MaxDepth)
                {
                    throw new XmlException($"The document is nested deeper than {MaxDepth} levels.");
                }

                if (++elements > MaxElements)
                {
                    throw new XmlException($"The document has more than {MaxElements} elements.");
                }
            }
        }

        using var second = XmlReader.Create(new MemoryStream(document), settings);
        return XDocument.Load(second, LoadOptions.None);
    }
}
