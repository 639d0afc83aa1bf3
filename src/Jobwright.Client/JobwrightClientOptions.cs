namespace Jobwright.Client;

/// <summary>How the client retries.</summary>
public sealed record JobwrightClientOptions
{
    /// <summary>How many times a 503 answer is retried (after its <c>Retry-After</c>) before it is thrown.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>An API key (<c>jw_…</c>) or a JWT sent as <c>Authorization: Bearer</c> with every request; null sends none.</summary>
    public string? Credential { get; init; }

    /// <summary>The wait between retries when the node gives no <c>Retry-After</c>.</summary>
    public TimeSpan DefaultRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries, whatever <c>Retry-After</c> says.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one long-poll request of <see cref="JobwrightClient.WaitAsync"/> waits on the node.</summary>
    public TimeSpan LongPoll { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of waits and retry dates (a fake one in tests).</summary>
#pragma warning disable RS0030 // The client's default clock: the one place of this package that names the system clock.
    public TimeProvider Time { get; init; } = TimeProvider.System;
#pragma warning restore RS0030
}
