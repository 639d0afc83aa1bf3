using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobwright.Cli;

/// <summary>
/// The command line's credentials file: per node URL, a session from <c>jobwright login</c> or an API key
/// written there by hand. It lives in <c>$XDG_CONFIG_HOME/jobwright/credentials.json</c> (else
/// <c>~/.config/jobwright/</c>; <c>JOBWRIGHT_CREDENTIALS</c> names another file) and is written owner-only;
/// a file that others may read is not used.
/// </summary>
internal static class CredentialStore
{
    public const string FileVariable = "JOBWRIGHT_CREDENTIALS";

    public static string FilePath =>
        Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } file
            ? file
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"),
                "jobwright",
                "credentials.json");

    /// <summary>The key and session kept for <paramref name="server"/>, or nulls (also when the file may be read by others).</summary>
    public static (string? Key, string? Session) For(Uri server)
    {
        if (!File.Exists(FilePath) || (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(FilePath) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0))
        {
            return (null, null);
        }

        try
        {
            var entry = JsonNode.Parse(File.ReadAllText(FilePath))?["servers"]?[Key(server)];
            return (entry?["key"]?.GetValue<string>(), entry?["session"]?.GetValue<string>());
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>Keeps (or, with null, forgets) the session for <paramref name="server"/>.</summary>
    public static void SetSession(Uri server, string? session)
    {
        var root = File.Exists(FilePath) ? JsonNode.Parse(File.ReadAllText(FilePath))?.AsObject() ?? [] : [];
        var servers = root["servers"]?.AsObject() ?? [];
        root["servers"] = servers;
        var entry = servers[Key(server)]?.AsObject() ?? [];
        servers[Key(server)] = entry;
        if (session is null)
        {
            entry.Remove("session");
        }
        else
        {
            entry["session"] = session;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(FilePath, options);
        JsonSerializer.Serialize(file, root, new JsonSerializerOptions { WriteIndented = true });
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string Key(Uri server) => server.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}
