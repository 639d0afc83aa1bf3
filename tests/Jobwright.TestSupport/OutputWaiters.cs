namespace Jobwright.TestSupport;

/// <summary>Tests waiting for a line of a process's output: each is told when a line containing its text arrives.</summary>
internal sealed class OutputWaiters
{
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiting = [];

    /// <summary>Called under the output's lock, as is <see cref="Saw"/>.</summary>
    public Task Add(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((text, seen));
        return seen.Task;
    }

    public void Saw(string line)
    {
        foreach (var waiter in _waiting.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToArray())
        {
            waiter.Seen.TrySetResult();
            _waiting.Remove(waiter);
        }
    }
}
