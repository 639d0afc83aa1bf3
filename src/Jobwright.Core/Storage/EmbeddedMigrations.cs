using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Jobwright.Storage;

/// <summary>A store's numbered SQL migrations (<c>NNN_name.sql</c>), embedded in its assembly.</summary>
public static partial class EmbeddedMigrations
{
    /// <summary>The migrations under <paramref name="prefix"/>, in order; throws when their numbers have gaps.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Load(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => (Resource: n, Match: MigrationName().Match(n[prefix.Length..])))
            .Where(m => m.Match.Success)
            .Select(m => (
                int.Parse(m.Match.Groups[1].Value, CultureInfo.InvariantCulture),
                m.Match.Groups[2].Value,
                Read(assembly, m.Resource)))
            .OrderBy(m => m.Item1)
            .ToArray();
        if (migrations.Length == 0 || migrations.Select((m, i) => m.Item1 != i + 1).Any(gap => gap))
        {
            throw new InvalidOperationException($"The migrations under {prefix} must be numbered 001, 002, … without gaps.");
        }

        return migrations;
    }

    /// <summary>The message for a database whose schema is newer than this build knows.</summary>
    public static string TooNew(long current, int newest, string fix) =>
        $"The database schema is at version {current}, newer than this Jobwright knows ({newest}). Upgrade Jobwright, or {fix}.";

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(\d{3})_([a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}
