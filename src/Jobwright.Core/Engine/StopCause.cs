namespace Jobwright.Engine;

/// <summary>Why the engine fired a running handler's token; the first cause wins.</summary>
internal enum StopCause
{
    None,
    Cancel,
    Timeout,
    Shutdown,
}
