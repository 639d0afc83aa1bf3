namespace Jobwright.Server.Security;

/// <summary>
/// Which jobs a principal may submit, see, cancel and delete: patterns over <c>group/target</c> and
/// <c>group/operation</c> with <c>*</c> (any run of characters) and <c>?</c> (one), e.g.
/// <c>LogicalPartition/lpar-*</c> or <c>Sample/*</c>. No pattern at all is every job.
/// </summary>
public sealed class TargetScope
{
    private readonly string[] _patterns;

    public TargetScope(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = [.. patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim())];
    }

    /// <summary>Every job.</summary>
    public static TargetScope Everything { get; } = new([]);

    public bool IsEverything => _patterns.Length == 0;

    public IReadOnlyList<string> Patterns => _patterns;

    /// <summary>Whether a job of this operation and target is inside the scope.</summary>
    public bool Covers(string group, string operation, string? target) =>
        IsEverything || _patterns.Any(p => Matches(p, $"{group}/{operation}") || (target is not null && Matches(p, $"{group}/{target}")));

    /// <summary>What is wrong with a pattern, or null: it needs a group, a slash and a name (each may hold wildcards).</summary>
    public static string? Problem(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == pattern.Length - 1 || pattern.IndexOf('/', slash + 1) >= 0 || pattern.Any(char.IsWhiteSpace)
            ? $"'{pattern}' is not a scope: give GROUP/TARGET or GROUP/OPERATION, with * and ? as wildcards (e.g. LogicalPartition/lpar-*, Sample/*)."
            : null;
    }

    // * and ? as in file names; case-sensitive, as group, target and operation names are.
    private static bool Matches(string pattern, string text) =>
        System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, text, ignoreCase: false);
}
