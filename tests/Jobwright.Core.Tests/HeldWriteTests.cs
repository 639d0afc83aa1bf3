using Jobwright.Storage;

namespace Jobwright.Core.Tests;

public sealed class HeldWriteTests
{
    private readonly List<string> _queued = [];
    private readonly List<(string Write, Exception Error)> _failed = [];
    private readonly HeldWrite<string> _held;

    public HeldWriteTests() =>
        _held = new HeldWrite<string>(write => write.StartsWith("submit", StringComparison.Ordinal) ? WriteKind.Submit : write.StartsWith("claim", StringComparison.Ordinal) ? WriteKind.Claim : WriteKind.Other, write => { _queued.Add(write); return true; }, (write, e) => _failed.Add((write, e)), () => new ObjectDisposedException("writer"));

    [Fact]
    public void A_held_write_is_taken_once_by_the_batch_and_its_later_signal_and_cancel_change_nothing()
    {
        var signal = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        Assert.True(_held.TryHold("claim", new TaskCompletionSource().Task, signal.Task, cancel.Token));

        Assert.Equal("claim", _held.Take());
        Assert.Null(_held.Take());
        signal.SetResult();
        cancel.Cancel();
        Assert.Empty(_queued);
        Assert.Empty(_failed);
    }

    [Fact]
    public void A_held_write_is_queued_alone_when_its_signal_completes_first_and_a_batch_then_finds_none()
    {
        var signal = new TaskCompletionSource();
        Assert.True(_held.TryHold("claim", new TaskCompletionSource().Task, signal.Task, CancellationToken.None));

        signal.SetResult();
        Assert.Equal(["claim"], _queued);
        Assert.Null(_held.Take());
    }

    [Fact]
    public void A_held_write_canceled_first_fails_as_canceled_and_is_never_queued()
    {
        var signal = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        Assert.True(_held.TryHold("claim", new TaskCompletionSource().Task, signal.Task, cancel.Token));

        cancel.Cancel();
        signal.SetResult();
        Assert.Empty(_queued);
        Assert.IsType<OperationCanceledException>(Assert.Single(_failed).Error);
        Assert.Null(_held.Take());
    }

    [Fact]
    public void Only_one_write_is_held_at_a_time_and_one_still_held_fails_when_the_writer_closes()
    {
        Assert.True(_held.TryHold("first", new TaskCompletionSource().Task, new TaskCompletionSource().Task, CancellationToken.None));
        Assert.False(_held.TryHold("second", new TaskCompletionSource().Task, new TaskCompletionSource().Task, CancellationToken.None));

        _held.Close();
        Assert.Equal("first", Assert.Single(_failed).Write);
        Assert.IsType<ObjectDisposedException>(_failed[0].Error);
    }

    [Fact]
    public void A_batch_that_submits_a_job_takes_the_held_claim_last_and_one_that_does_not_leaves_it_held()
    {
        Assert.True(_held.TryHold("claim-held", new TaskCompletionSource().Task, new TaskCompletionSource().Task, CancellationToken.None));
        var finishes = new List<string> { "finish" };
        _held.Arrange(finishes, maxBatch: 512);
        Assert.Equal(["finish"], finishes);

        var submits = new List<string> { "claim-queued", "submit", "finish" };
        _held.Arrange(submits, maxBatch: 512);
        Assert.Equal(["submit", "finish", "claim-queued", "claim-held"], submits);
        Assert.Null(_held.Take());
    }

    [Fact]
    public void A_full_batch_leaves_the_held_claim_for_the_next_one()
    {
        Assert.True(_held.TryHold("claim-held", new TaskCompletionSource().Task, new TaskCompletionSource().Task, CancellationToken.None));
        var full = new List<string> { "submit-1", "submit-2" };
        _held.Arrange(full, maxBatch: 2);
        Assert.Equal(["submit-1", "submit-2"], full);
        Assert.Equal("claim-held", _held.Take());
    }
}
