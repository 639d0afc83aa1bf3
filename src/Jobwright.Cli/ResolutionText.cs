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

        if (job.Resolution is { } resolution)
        {
            var how = resolution is { How: JobResolutions.Rerun, JobId: { } copy } ? $"rerun as job {copy}" : "acknowledged by hand";
            var by = resolution.By is { } name ? $" by {name}" : string.Empty;
            var note = resolution.Note is { Length: > 0 } text ? $" — {text}" : string.Empty;
            parts.Add($"resolved: {how}{by}{note}");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
