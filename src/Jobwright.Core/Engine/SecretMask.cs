using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Hides the values of a job's sensitive parameters wherever they appear in what the job reports — results,
/// messages, task names and messages, the error and its reason — before it is stored or shown. A handler
/// (or the engine's own error text, e.g. a URL it could not reach) may echo a value it was given.
/// </summary>
internal sealed class SecretMask
{
    public const string Hidden = "***";

    // Shorter values are too likely to be ordinary text ("1", "on") to be cut out of every sentence.
    private const int ShortestMasked = 3;

    private static readonly SecretMask Nothing = new([]);
    private readonly string[] _secrets;

    private SecretMask(string[] secrets) => _secrets = secrets;

    public bool HidesNothing => _secrets.Length == 0;

    /// <summary>The mask of a job of <paramref name="operation"/> given these decrypted parameters.</summary>
    public static SecretMask For(OperationDefinition operation, JsonObject parameters)
    {
        var secrets = operation.Parameters
            .Where(p => p.Sensitive)
            .Select(p => parameters[p.Name] is JsonValue value ? AsText(value) : null)
            .OfType<string>()
            .Where(s => s.Length >= ShortestMasked)
            // The longest first: a value that contains another is hidden whole.
            .OrderByDescending(s => s.Length)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return secrets.Length == 0 ? Nothing : new SecretMask(secrets);
    }

    // A string as it is; a number or a boolean as it is written, which is how a handler would echo it.
    private static string AsText(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Hidden, StringComparison.Ordinal);
        }

        return text;
    }

    public JobSnapshot Apply(JobSnapshot snapshot)
    {
        if (HidesNothing)
        {
            return snapshot;
        }

        var progress = snapshot.Progress;
        return new JobSnapshot(
            progress with
            {
                CompletedTasks = progress.CompletedTasks.Select(t => t with { Name = Apply(t.Name), Message = t.Message is null ? null : Apply(t.Message) }).ToArray(),
                CurrentTask = progress.CurrentTask is { } current ? current with { Name = Apply(current.Name) } : null,
            },
            snapshot.Results.ToDictionary(r => r.Key, r => Apply(r.Value), StringComparer.Ordinal),
            snapshot.Messages.Select(m => m with { Text = Apply(m.Text) }).ToArray());
    }

    public JobFinish Apply(JobFinish finish) => HidesNothing ? finish : finish with
    {
        Snapshot = Apply(finish.Snapshot),
        Error = finish.Error is { } error ? error with { Message = Apply(error.Message), StackTrace = error.StackTrace is null ? null : Apply(error.StackTrace) } : null,
        Reason = finish.Reason is null ? null : Apply(finish.Reason),
    };
}
