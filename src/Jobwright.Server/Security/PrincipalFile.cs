using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwright.Server.Security;

/// <summary>
/// A users or keys file: JSON of <c>{ "users": { NAME: entry } }</c> (or <c>"keys"</c>), written with
/// owner-only permissions and replaced whole (a write goes to a temporary file, then is renamed over it).
/// The node reads it again when it changes, so users and keys added by the CLI apply without a restart.
/// </summary>
public sealed class PrincipalFile<TEntry>
    where TEntry : PrincipalEntry
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowDuplicateProperties = false,
    };

    private readonly string _section;
    private readonly Lock _gate = new();
    private (DateTime WrittenAt, long Length, IReadOnlyDictionary<string, TEntry> Entries) _cache;

    public PrincipalFile(string path, string section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _section = section;
    }

    public string Path { get; }

    /// <summary>
    /// The entries as the file has them now (an absent file has none). A damaged file is an error naming it —
    /// unless it was read well before: then its last good entries are kept.
    /// </summary>
    public IReadOnlyDictionary<string, TEntry> Read()
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            return new Dictionary<string, TEntry>(StringComparer.Ordinal);
        }

        lock (_gate)
        {
            if (_cache.Entries is not null && _cache.WrittenAt == info.LastWriteTimeUtc && _cache.Length == info.Length)
            {
                return _cache.Entries;
            }

            try
            {
                var entries = Parse(File.ReadAllText(Path));
                _cache = (info.LastWriteTimeUtc, info.Length, entries);
                return entries;
            }
            catch (Exception e) when (_cache.Entries is not null && e is InvalidOperationException or IOException)
            {
                // Damaged (or half written by another tool) while the node runs: the last good entries stand until it is right again.
                return _cache.Entries;
            }
        }
    }

    /// <summary>What is wrong with a name for a user or a key, or null: it must be plain text without a colon (HTTP Basic's separator).</summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length is 0 or > 128 || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == ':')
            ? $"'{name}' is not a name: use 1 to 128 characters without spaces, control characters or ':'."
            : null;
    }

    /// <summary>Adds or replaces one entry and writes the file.</summary>
    public void Put(string name, TEntry entry)
    {
        var entries = new SortedDictionary<string, TEntry>(Read().ToDictionary(), StringComparer.Ordinal) { [name] = entry };
        Write(entries);
    }

    /// <summary>Removes one entry; false when there was none of that name.</summary>
    public bool Remove(string name)
    {
        var entries = new SortedDictionary<string, TEntry>(Read().ToDictionary(), StringComparer.Ordinal);
        if (!entries.Remove(name))
        {
            return false;
        }

        Write(entries);
        return true;
    }

    private Dictionary<string, TEntry> Parse(string text)
    {
        try
        {
            var document = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, TEntry>>>(text, Json);
            return document?.GetValueOrDefault(_section) is { } entries
                ? new Dictionary<string, TEntry>(entries, StringComparer.Ordinal)
                : throw new InvalidOperationException($"{Path} has no \"{_section}\" object.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{Path} is not a {_section} file ({e.Message}); write it with 'jobwright {_section} add'.", e);
        }
    }

    private void Write(SortedDictionary<string, TEntry> entries)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(file, new Dictionary<string, SortedDictionary<string, TEntry>> { [_section] = entries }, Json);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
