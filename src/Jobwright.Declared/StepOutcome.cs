namespace Jobwright.Declared;

/// <summary>What an exit code (or HTTP answer) of a step means.</summary>
internal enum StepOutcome
{
    Ok,
    Warning,
    Failed,
    RetryLater,
    Precondition,
}
