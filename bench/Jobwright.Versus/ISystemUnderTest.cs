namespace Jobwright.Versus;

/// <summary>One job system on one fresh store, as every case drives it.</summary>
internal interface ISystemUnderTest : IAsyncDisposable
{
    /// <summary>What the row is called, e.g. "Hangfire PostgreSQL (pollers 50 ms)".</summary>
    string Name { get; }

    /// <summary>The durability of its store, as read back from it.</summary>
    string Durability { get; }

    /// <summary>Creates no-op jobs keyed <paramref name="firstKey"/> onwards while nothing processes them.</summary>
    Task SeedAsync(long firstKey, int count);

    /// <summary>
    /// Builds, without starting, what <see cref="StartAsync"/> starts (Jobwright: the host and its
    /// services; Hangfire's options and storage are built with the system). Not timed.
    /// </summary>
    void Prepare();

    /// <summary>Starts processing (the server, the node); prepares first when <see cref="Prepare"/> was not called.</summary>
    Task StartAsync();

    /// <summary>Submits a no-op job that marks <paramref name="key"/> when it begins.</summary>
    Task SubmitNoOpAsync(long key);

    /// <summary>Submits a job that marks <paramref name="key"/> when it begins and again when its token fires; returns a handle to cancel it by.</summary>
    Task<string> SubmitWaitForCancelAsync(long key);

    /// <summary>Cancels (Hangfire: deletes) the job.</summary>
    Task CancelAsync(string handle);
}
