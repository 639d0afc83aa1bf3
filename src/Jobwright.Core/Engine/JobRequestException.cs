using Jobwright.Operations;

namespace Jobwright.Engine;

/// <summary>A request the node refuses, naming each field that is wrong. Nothing was changed.</summary>
public sealed class JobRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobRequestException(JobProblemKind kind, string message, IReadOnlyList<FieldError>? errors = null)
        : base(message)
    {
        Kind = kind;
        Errors = errors ?? [];
    }

    /// <summary>What kind of problem.</summary>
    public JobProblemKind Kind { get; }

    /// <summary>The fields that are wrong and why.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>When the same request may succeed later (a full queue): after how many seconds to try again.</summary>
    public int? RetryAfterSeconds { get; init; }
}
