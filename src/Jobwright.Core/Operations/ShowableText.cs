using System.Xml;

namespace Jobwright.Operations;

/// <summary>
/// Text every interface can carry: JSON can escape any character, but XML 1.0 (the HMC API) cannot hold
/// most control characters or a lone surrogate. A value the node accepts must stay readable through all.
/// </summary>
internal static class ShowableText
{
    /// <summary>The position of the first character XML cannot carry, or -1 when there is none.</summary>
    public static int FirstUnshowable(string text)
    {
        for (var i = 0; i < text.Length; i++)
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
