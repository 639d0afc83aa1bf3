using Jobwright.Model;

namespace Jobwright.Engine;

/// <summary>
/// Pausing a target or an operation (SPEC §5.7): its new and waiting jobs stay NOT_STARTED with reason
/// TARGET_PAUSED / OPERATION_PAUSED until it is resumed; running jobs are not touched. The pause is stored,
/// so it holds across restarts and, on a shared store, on every node.
/// </summary>
public sealed partial class JobService
{
    private const int MaxPauseKeyLength = 300;

    /// <summary>Pauses <paramref name="key"/> (<c>group/target</c> or <c>group/operation</c>); returns the pause in force (the earlier one when it was paused already).</summary>
    public async Task<PauseRecord> PauseAsync(string kind, string key, string? note, string? actor, CancellationToken cancellationToken)
    {
        CheckPause(kind, key);
        CheckNote(note);
        await _store.PauseAsync(new PauseRecord(kind, key, actor, _time.GetUtcNow(), note), cancellationToken).ConfigureAwait(false);
        _reasons.PausesChanged();
        return (await ListPausesAsync(cancellationToken).ConfigureAwait(false)).First(p => p.Kind == kind && p.Key == key);
    }

    /// <summary>Resumes <paramref name="key"/>; false when it was not paused. Waiting jobs are claimed at once here, and by other nodes at their next heartbeat.</summary>
    public async Task<bool> ResumeAsync(string kind, string key, CancellationToken cancellationToken)
    {
        CheckPause(kind, key);
        var resumed = await _store.ResumeAsync(kind, key, cancellationToken).ConfigureAwait(false);
        _reasons.PausesChanged();
        _dispatcher.Wake();
        return resumed;
    }

    /// <summary>The paused targets and operations.</summary>
    public Task<IReadOnlyList<PauseRecord>> ListPausesAsync(CancellationToken cancellationToken) => _queries.ListPausesAsync(cancellationToken);

    private static void CheckPause(string kind, string key)
    {
        if (kind is not (PauseKinds.Target or PauseKinds.Operation))
        {
            throw new JobRequestException(JobProblemKind.InvalidRequest, $"'{kind}' cannot be paused.", [new("kind", "Pause a target or an operation.")]);
        }

        if (key.Length > MaxPauseKeyLength || key.Any(char.IsControl) || key.Split('/', 2) is not [{ Length: > 0 }, { Length: > 0 }])
        {
            throw new JobRequestException(JobProblemKind.InvalidRequest, $"'{key}' is not a group/{kind}.", [new(kind, $"Give the group and the {kind}, e.g. LogicalPartition/lpar-1.")]);
        }
    }
}
