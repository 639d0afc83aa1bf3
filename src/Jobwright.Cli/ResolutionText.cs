using Jobwright.Model;

namespace Jobwright.Cli;

/// <summary>The line that says how an ended job was resolved, or which job a rerun copies; null when neither.</summary>
internal static class ResolutionText
{
    public static string? Of(JobRecord job)
    {
        var parts = new List<string>();
        if (job.RerunOf is { } of)
        {
            parts.Add($"rerun of job {of}");
        }

        if (job.Resumes is { } resumes)
        {
            parts.Add($"completes job {resumes}");
        }

        if (job.Reverts is { } reverts)
        {
            parts.Add($"reverts job {reverts}");
        }

        if (job.Resolution is { } resolution)
        {
            var how = resolution switch
            {
                { How: JobResolutions.Rerun, JobId: { } copy } => $"rerun as job {copy}",
                { How: JobResolutions.Completed, JobId: { } completer } => $"completed by job {completer}",
                { How: JobResolutions.Reverted, JobId: { } reverter } => $"reverted by job {reverter}",
                _ => "acknowledged by hand",
            };
            var by = resolution.By is { } name ? $" by {name}" : string.Empty;
            var note = resolution.Note is { Length: > 0 } text ? $" — {text}" : string.Empty;
            parts.Add($"resolved: {how}{by}{note}");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
