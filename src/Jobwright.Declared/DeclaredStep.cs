using System.Text.Json.Nodes;

namespace Jobwright.Declared;

/// <summary>One step of a declared operation: a program (argument list) or an HTTP call.</summary>
internal sealed record DeclaredStep
{
    public required string Name { get; init; }

    /// <summary>The program and its arguments; <c>{name}</c> is replaced inside each argument, and no shell is involved.</summary>
    public IReadOnlyList<string>? Run { get; init; }

    public HttpCall? Http { get; init; }

    public IReadOnlyDictionary<int, StepOutcome> ExitCodes { get; init; } = new Dictionary<int, StepOutcome>();

    public TimeSpan? Timeout { get; init; }

    public bool ContinueOnError { get; init; }

    /// <summary>A revert step: the step (of <c>steps</c>) whose work it undoes.</summary>
    public string? Undoes { get; init; }

    /// <summary>An HTTP call: method, URL and an optional JSON body, each with <c>{name}</c> placeholders.</summary>
    internal sealed record HttpCall(string Method, string Url, JsonNode? Body, IReadOnlyDictionary<string, string> Headers);
}
