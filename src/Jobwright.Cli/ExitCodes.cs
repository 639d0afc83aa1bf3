using Jobwright.Status;

namespace Jobwright.Cli;

/// <summary>The program's exit codes (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int CompletedWithWarnings = 3;
    public const int CompletedWithError = 4;
    public const int FailedToStart = 5;
    public const int FailedBeforeCompletion = 6;
    public const int FailedBeforeCompletionRetry = 7;
    public const int CanceledBeforeStart = 8;
    public const int CanceledWhileRunning = 9;
    public const int NotEnded = 10;
    public const int Unreachable = 11;
    public const int Refused = 12;
    public const int Interrupted = 130;

    /// <summary>The exit code that tells a job's status: 0 for COMPLETED_OK, 10 while it has not ended.</summary>
    public static int For(JobStatus status) => status switch
    {
        JobStatus.CompletedOk => Ok,
        JobStatus.CompletedWithWarnings => CompletedWithWarnings,
        JobStatus.CompletedWithError => CompletedWithError,
        JobStatus.FailedToStart => FailedToStart,
        JobStatus.FailedBeforeCompletion => FailedBeforeCompletion,
        JobStatus.FailedBeforeCompletionRetry => FailedBeforeCompletionRetry,
        JobStatus.CanceledBeforeStart => CanceledBeforeStart,
        JobStatus.CanceledWhileRunning => CanceledWhileRunning,
        _ => NotEnded,
    };
}
