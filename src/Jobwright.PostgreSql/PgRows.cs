namespace Jobwright.PostgreSql;

/// <summary>The rows one statement returned, with lookups for the writes that shared it.</summary>
internal sealed class PgRows(IReadOnlyList<object?[]> all)
{
    private Dictionary<long, object?[]>? _byFirstColumn;
    private long[]? _sortedFirstColumn;

    public IReadOnlyList<object?[]> All { get; } = all;

    /// <summary>The row whose first column (a job id) is <paramref name="key"/>, or null.</summary>
    public object?[]? Find(long key)
    {
        _byFirstColumn ??= All.ToDictionary(row => (long)row[0]!);
        return _byFirstColumn.GetValueOrDefault(key);
    }

    /// <summary>The first column's values in ascending order (ids of inserted rows, in insertion order).</summary>
    public long SortedFirstColumn(int index)
    {
        _sortedFirstColumn ??= All.Select(row => (long)row[0]!).Order().ToArray();
        return _sortedFirstColumn[index];
    }
}
