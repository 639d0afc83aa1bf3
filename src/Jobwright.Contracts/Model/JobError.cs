namespace Jobwright.Model;

/// <summary>Why a job failed (HMC: <c>ResponseException</c>). The stack trace is shown only to callers allowed to see it.</summary>
public sealed record JobError(string Message, string? ExceptionType = null, string? StackTrace = null);
