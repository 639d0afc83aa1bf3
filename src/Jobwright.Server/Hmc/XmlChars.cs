using System.Xml.Linq;
using Jobwright.Model;

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
            if (ShowableText.Replaced(text.Value) is { } clean)
            {
                text.Value = clean;
            }
        }

        foreach (var attribute in root.DescendantsAndSelf().Attributes())
        {
            if (ShowableText.Replaced(attribute.Value) is { } clean)
            {
                attribute.Value = clean;
            }
        }

        return root;
    }
}
