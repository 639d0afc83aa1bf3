using System.Text.Json;

namespace Jobwright.Server.Api;

/// <summary>
/// One pass over a JSON body before it becomes nodes, for what the node parser only finds later (as a
/// 500): a property name or string that is not valid Unicode (invalid UTF-8, a lone surrogate escape),
/// and an object that names a property twice. Returns what is wrong, or null.
/// </summary>
internal static class JsonTextCheck
{
    public static string? Problem(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var names = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName when !names.Peek().Add(reader.GetString()!):
                        return $"The body names '{reader.GetString()}' twice in one object; give each field once.";
                    case JsonTokenType.String:
                        _ = reader.GetString();
                        break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            return $"The body holds text that is not valid Unicode (invalid UTF-8, or a lone surrogate such as \\ud800) at byte {reader.TokenStartIndex + 1}; send UTF-8 text.";
        }
        catch (JsonException)
        {
            // Not JSON at all: the parser that follows says where.
        }

        return null;
    }
}
