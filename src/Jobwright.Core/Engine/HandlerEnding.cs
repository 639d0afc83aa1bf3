using Jobwright.Handlers;

namespace Jobwright.Engine;

/// <summary>How a handler's run ended, before it is mapped to a status.</summary>
internal abstract record HandlerEnding
{
    private HandlerEnding()
    {
    }

    /// <summary>The handler returned an outcome.</summary>
    public sealed record Returned(JobOutcome Outcome) : HandlerEnding;

    /// <summary>The handler threw, not because the engine stopped it.</summary>
    public sealed record Threw(Exception Exception) : HandlerEnding;

    /// <summary>The handler stopped because the engine fired its token.</summary>
    public sealed record Stopped(StopCause Cause, TimeSpan? Timeout) : HandlerEnding;
}
