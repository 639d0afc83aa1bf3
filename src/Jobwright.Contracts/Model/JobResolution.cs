namespace Jobwright.Model;

/// <summary>
/// How an ended job was resolved — its status never changes (terminal is terminal), but its record says
/// who dealt with it, when and how: <see cref="JobResolutions.Rerun"/>, <see cref="JobResolutions.Completed"/> or
/// <see cref="JobResolutions.Reverted"/> by job <see cref="JobId"/>, or <see cref="JobResolutions.Manual"/> (by hand, with a note).
/// </summary>
public sealed record JobResolution(string How, long? JobId, string? By, DateTimeOffset At, string? Note);

/// <summary>The values of <see cref="JobResolution.How"/>.</summary>
public static class JobResolutions
{
    /// <summary>A linked copy of the job was submitted (<c>rerunOf</c> / <c>rerunBy</c>).</summary>
    public const string Rerun = "rerun";

    /// <summary>A linked job ran the tasks that did not end OK (<c>resumes</c> / <c>resumedBy</c>).</summary>
    public const string Completed = "completed";

    /// <summary>A linked job undid the tasks that ended OK, in reverse order (<c>reverts</c> / <c>revertedBy</c>).</summary>
    public const string Reverted = "reverted";

    /// <summary>An operator marked the job resolved by hand.</summary>
    public const string Manual = "manual";
}
