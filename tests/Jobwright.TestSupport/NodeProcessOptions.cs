namespace Jobwright.TestSupport;

/// <summary>Where a <see cref="NodeProcess"/> runs: its working directory and the variables added to (or, when null, removed from) its environment.</summary>
public sealed record NodeProcessOptions
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}
