using System.Diagnostics;
using Npgsql;

namespace Jobwright.Bench;

/// <summary>
/// A drain on PostgreSQL while another session holds its snapshot (and so the database's xmin horizon) open: no dead
/// row can be vacuumed away meanwhile, the case in which SKIP LOCKED queues are known to collapse. The drain runs in
/// rounds for a fixed time, once with nothing else open and once beside the open transaction, each on a fresh database.
/// </summary>
internal static class LongTransaction
{
    private const int Round = 10_000;

    public sealed record Drain(double JobsPerSecond, List<double> Rounds);

    /// <summary>Drains rounds of no-op jobs on a fresh node for <paramref name="duration"/>; with <paramref name="holdSnapshot"/>, beside an open REPEATABLE READ transaction.</summary>
    public static async Task<Drain> RunAsync(string database, int workers, TimeSpan duration, bool holdSnapshot)
    {
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using var node = await BenchNode.StartPostgresAsync(workers, database);
        NpgsqlTransaction? open = null;
        if (holdSnapshot)
        {
            open = await holder.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
            // The snapshot is taken by the transaction's first query, and kept (with its xmin) until it ends.
            await using var read = new NpgsqlCommand("SELECT count(*) FROM jobs", holder, open);
            await read.ExecuteScalarAsync();
            await using var horizon = new NpgsqlCommand("SELECT backend_xmin IS NOT NULL FROM pg_stat_activity WHERE pid = pg_backend_pid()", holder, open);
            if (await horizon.ExecuteScalarAsync() is not true)
            {
                throw new InvalidOperationException("The open transaction holds no xmin: the case would measure nothing.");
            }
        }

        var rounds = new List<double>();
        var jobs = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            rounds.Add((await Throughput.RunAsync(node, Round)).JobsPerSecond);
            jobs += Round;
            node.Starts.Clear();
        }

        var rate = jobs / clock.Elapsed.TotalSeconds;
        if (open is not null)
        {
            await open.RollbackAsync();
            await open.DisposeAsync();
        }

        return new Drain(rate, rounds);
    }
}
