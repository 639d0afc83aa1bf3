using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>Reads job rows selected with <see cref="Columns"/> into records.</summary>
internal static class JobRowMapper
{
    public const string Columns =
        "id, status, operation, op_group, target, parameters, submitter, idempotency_key, time_submitted, not_before, " +
        "time_started, time_completed, cancel_requested, node, progress, results, messages, error, retry_after_s, " +
        "retry_of, retried_by, version";

    public static JobRecord Read(SqliteDataReader row) => new()
    {
        JobId = row.GetInt64(0),
        Status = JobStatuses.Parse(row.GetString(1)),
        Operation = row.GetString(2),
        Group = row.GetString(3),
        Target = NullableString(row, 4),
        Parameters = JsonNode.Parse(row.GetString(5))!.AsObject(),
        Submitter = NullableString(row, 6),
        IdempotencyKey = NullableString(row, 7),
        TimeSubmitted = Time(row.GetInt64(8)),
        NotBefore = NullableTime(row, 9),
        TimeStarted = NullableTime(row, 10),
        TimeCompleted = NullableTime(row, 11),
        CancelRequested = row.GetInt64(12) != 0,
        Node = NullableString(row, 13),
        Progress = StoredJson.ReadProgress(NullableString(row, 14)),
        Results = StoredJson.Read<Dictionary<string, string>>(NullableString(row, 15)) ?? [],
        Messages = StoredJson.Read<JobMessage[]>(NullableString(row, 16)) ?? [],
        Error = StoredJson.Read<JobError>(NullableString(row, 17)),
        RetryAfterSeconds = row.IsDBNull(18) ? null : row.GetInt32(18),
        RetryOf = row.IsDBNull(19) ? null : row.GetInt64(19),
        RetriedBy = row.IsDBNull(20) ? null : row.GetInt64(20),
        Version = row.GetInt64(21),
    };

    public static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    public static object Db(object? value) => value ?? DBNull.Value;

    private static string? NullableString(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static DateTimeOffset? NullableTime(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : Time(row.GetInt64(ordinal));
}
