namespace Jobwright.Engine;

/// <summary>Why the engine fired a running handler's token; the first cause wins.</summary>
internal enum StopCause
{
    None,
    Cancel,
    Timeout,
    Shutdown,

    /// <summary>The cluster gave this node up and another node ended its jobs; whatever the handler does is refused.</summary>
    NodeLost,
}
