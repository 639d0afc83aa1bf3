using System.Globalization;
using System.Text;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Api;

/// <summary>Parses ids, durations, cursors and list filters from the URL; a bad one is a 400 naming the field.</summary>
internal static class QueryParsing
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    public static bool TryJobId(string text, out long jobId, out IResult? problem)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out jobId) && jobId > 0)
        {
            problem = null;
            return true;
        }

        problem = Problems.Invalid("jobId", $"'{Truncate(text)}' is not a job id; a job id is a positive whole number.");
        return false;
    }

    /// <summary>Durations like <c>30s</c>, <c>500ms</c>, <c>2m</c> or plain seconds.</summary>
    public static bool TryDuration(string text, out TimeSpan duration) => DurationText.TryParse(text, out duration);

    public static (JobQuery? Query, IResult? Problem) ListQuery(IQueryCollection query)
    {
        var statuses = new List<JobStatus>();
        foreach (var text in query["status"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!JobStatuses.TryParse(text, out var status))
            {
                return (null, Problems.Invalid("status", $"'{Truncate(text)}' is not a status; use one of {string.Join(", ", JobStatuses.All.Select(s => s.ToWire()))}."));
            }

            statuses.Add(status);
        }

        var limit = 50;
        if (query["limit"].FirstOrDefault() is { } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return (null, Problems.Invalid("limit", "limit must be a whole number from 1 to 1000."));
        }

        long? before = null;
        if (query["cursor"].FirstOrDefault() is { Length: > 0 } cursor)
        {
            if (DecodeCursor(cursor) is not { } id)
            {
                return (null, Problems.Invalid("cursor", "The cursor is not one this node gave; use nextCursor from the previous page as it is."));
            }

            before = id;
        }

        DateTimeOffset? from = null, to = null;
        foreach (var (field, set) in new (string, Action<DateTimeOffset>)[] { ("from", t => from = t), ("to", t => to = t) })
        {
            if (query[field].FirstOrDefault() is { Length: > 0 } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    return (null, Problems.Invalid(field, $"{field} must be an ISO 8601 time, e.g. 2026-11-29T10:00:00Z."));
                }

                set(time);
            }
        }

        bool? resolved = null;
        if (query["resolved"].FirstOrDefault() is { Length: > 0 } resolvedText)
        {
            if (!bool.TryParse(resolvedText, out var flag))
            {
                return (null, Problems.Invalid("resolved", "resolved must be true (only resolved jobs) or false (only those not resolved yet)."));
            }

            resolved = flag;
        }

        long? scheduleId = null;
        if (query["scheduleId"].FirstOrDefault() is { Length: > 0 } scheduleText)
        {
            if (!long.TryParse(scheduleText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return (null, Problems.Invalid("scheduleId", "scheduleId must be a schedule's id, a positive whole number."));
            }

            scheduleId = parsed;
        }

        return (new JobQuery
        {
            Statuses = statuses,
            Operation = Text(query, "operation"),
            Group = Text(query, "group"),
            Target = Text(query, "target"),
            Submitter = Text(query, "submitter"),
            SubmittedFrom = from,
            SubmittedTo = to,
            Resolved = resolved,
            ScheduleId = scheduleId,
            BeforeId = before,
            Limit = limit,
        }, null);
    }

    public static string EncodeCursor(long beforeId) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("before:" + beforeId.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static long? DecodeCursor(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
            return text.StartsWith("before:", StringComparison.Ordinal) &&
                long.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Text(IQueryCollection query, string name) =>
        query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
