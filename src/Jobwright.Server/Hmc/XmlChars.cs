using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Jobwright.Server.Hmc;

/// <summary>
/// Makes a reply writable as XML: a character XML 1.0 forbids (a control character, a lone surrogate)
/// that came in through another interface, or is echoed from a refused request, is written as U+FFFD
/// instead of failing the whole reply.
/// </summary>
internal static class XmlChars
{
    public static XElement Writable(XElement root)
    {
        foreach (var text in root.DescendantNodes().OfType<XText>())
        {
            if (Replaced(text.Value) is { } clean)
            {
                text.Value = clean;
            }
        }

        foreach (var attribute in root.DescendantsAndSelf().Attributes())
        {
            if (Replaced(attribute.Value) is { } clean)
            {
                attribute.Value = clean;
            }
        }

        return root;
    }

    // Null when every character may be written.
    private static string? Replaced(string value)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < value.Length; i++)
        {
            var pair = i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i]);
            if (pair || XmlConvert.IsXmlChar(value[i]))
            {
                clean?.Append(value, i, pair ? 2 : 1);
                i += pair ? 1 : 0;
                continue;
            }

            clean ??= new StringBuilder(value, 0, i, value.Length);
            clean.Append('\uFFFD');
        }

        return clean?.ToString();
    }
}
