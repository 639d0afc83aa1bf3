using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>A kind of write whose items, queued in one batch, are sent as one statement (arrays unnested in SQL).</summary>
internal sealed class PgMerge<TItem>(Func<IReadOnlyList<TItem>, NpgsqlBatchCommand> build)
{
    public NpgsqlBatchCommand Build(IReadOnlyList<TItem> items) => build(items);
}
