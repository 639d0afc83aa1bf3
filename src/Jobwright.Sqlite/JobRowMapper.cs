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

    public static JobRecord Read(SqliteDataReader row) => Map(ReadRaw(row));

    /// <summary>The row's values as they are, so that the JSON columns can be parsed off the writer thread.</summary>
    public static object?[] ReadRaw(SqliteDataReader row)
    {
        var values = new object?[row.FieldCount];
        row.GetValues(values!);
        return values;
    }

    public static JobRecord Map(object?[] row) => new()
    {
        JobId = (long)row[0]!,
        Status = JobStatuses.Parse((string)row[1]!),
        Operation = (string)row[2]!,
        Group = (string)row[3]!,
        Target = Text(row[4]),
        Parameters = JsonNode.Parse((string)row[5]!)!.AsObject(),
        Submitter = Text(row[6]),
        IdempotencyKey = Text(row[7]),
        TimeSubmitted = Time((long)row[8]!),
        NotBefore = Integer(row[9]) is { } notBefore ? Time(notBefore) : null,
        TimeStarted = Integer(row[10]) is { } started ? Time(started) : null,
        TimeCompleted = Integer(row[11]) is { } completed ? Time(completed) : null,
        CancelRequested = (long)row[12]! != 0,
        Node = Text(row[13]),
        Progress = StoredJson.ReadProgress(Text(row[14])),
        Results = StoredJson.Read<Dictionary<string, string>>(Text(row[15])) ?? [],
        Messages = StoredJson.Read<JobMessage[]>(Text(row[16])) ?? [],
        Error = StoredJson.Read<JobError>(Text(row[17])),
        RetryAfterSeconds = Integer(row[18]) is { } retryAfter ? (int)retryAfter : null,
        RetryOf = Integer(row[19]),
        RetriedBy = Integer(row[20]),
        Version = (long)row[21]!,
    };

    public static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    public static object Db(object? value) => value ?? DBNull.Value;

    private static string? Text(object? value) => value as string;

    private static long? Integer(object? value) => value is long number ? number : null;
}
