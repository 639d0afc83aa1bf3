using System.Collections;
using System.Globalization;

namespace Jobwright.Engine;

/// <summary>
/// The log scope of a job's run: every line logged while it runs (the engine's and the handler's) carries
/// <c>JobId</c>, as text ("JobId:42") and as a structured attribute. Parameters never go into it.
/// </summary>
internal sealed class JobLogScope(long jobId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("JobId", jobId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"JobId:{jobId}");
}
