namespace Jobwright.Model;

/// <summary>
/// A paused target (<c>group/target</c>) or operation (<c>group/operation</c>): its NOT_STARTED jobs stay waiting,
/// with reason <c>TARGET_PAUSED</c> or <c>OPERATION_PAUSED</c>, until it is resumed; running jobs are not touched.
/// </summary>
public sealed record PauseRecord(string Kind, string Key, string? By, DateTimeOffset At, string? Note);

/// <summary>The values of <see cref="PauseRecord.Kind"/>.</summary>
public static class PauseKinds
{
    /// <summary>A target: the key is <c>group/target</c>.</summary>
    public const string Target = "target";

    /// <summary>An operation: the key is <c>group/operation</c>.</summary>
    public const string Operation = "operation";
}
