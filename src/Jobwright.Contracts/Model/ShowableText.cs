using System.Text;
using System.Xml;

namespace Jobwright.Model;

/// <summary>
/// Text every interface can carry: JSON can escape any character, but XML 1.0 (the HMC API) cannot hold
/// most control characters or a lone surrogate. The node refuses such text where it comes in, and writes
/// what still reaches an XML answer (from another interface, or echoed from a refused request) as U+FFFD.
/// </summary>
public static class ShowableText
{
    /// <summary>The position of the first character XML cannot carry, or -1 when there is none.</summary>
    public static int FirstUnshowable(string text) => FirstUnshowable(text, 0);

    /// <summary><paramref name="text"/> with every character XML cannot carry as U+FFFD, or null when it has none.</summary>
    public static string? Replaced(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = FirstUnshowable(text, 0);
        if (at < 0)
        {
            return null;
        }

        var clean = new StringBuilder(text.Length);
        var from = 0;
        for (; at >= 0; at = FirstUnshowable(text, from))
        {
            clean.Append(text, from, at - from).Append('\uFFFD');
            from = at + 1;
        }

        return clean.Append(text, from, text.Length - from).ToString();
    }

    private static int FirstUnshowable(string text, int from)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = from; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                i++;
            }
            else if (!XmlConvert.IsXmlChar(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
