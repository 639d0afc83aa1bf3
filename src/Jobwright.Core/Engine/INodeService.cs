namespace Jobwright.Engine;

/// <summary>
/// A piece of background work a node runs from its start until it stops taking work (retention, and
/// later schedules). Each is a class of its own, registered in the services; the dispatcher starts them.
/// </summary>
internal interface INodeService
{
    /// <summary>Runs until <paramref name="stopping"/> fires; returns then, without throwing for the stop.</summary>
    Task RunAsync(CancellationToken stopping);
}
