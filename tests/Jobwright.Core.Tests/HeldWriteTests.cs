using Jobwright.Storage;

namespace Jobwright.Core.Tests;

public sealed class HeldWriteTests
{
    private readonly List<string> _queued = [];
    private readonly List<(string Write, Exception Error)> _failed = [];
    private readonly HeldWrite<string> _held;

    public HeldWriteTests() =>
        _held = new HeldWrite<string>(write => { _queued.Add(write); return true; }, (write, e) => _failed.Add((write, e)), () => new ObjectDisposedException("writer"));

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
}
