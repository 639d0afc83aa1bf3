using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;

namespace Jobwright.Declared;

/// <summary>
/// The <c>schedules</c> list of an operations file: each entry has the fields of <c>POST /api/v1/schedules</c>
/// (name, operation, group, target, parameters, cron or interval, timeZone, start, end, misfire, catchUpWindow,
/// overlap). Their cron, zone, operation and parameters are checked when the node creates them, as the API does.
/// </summary>
internal static class DeclaredSchedules
{
    private static readonly string[] Fields =
        ["name", "operation", "group", "target", "parameters", "cron", "interval", "timeZone", "start", "end", "misfire", "catchUpWindow", "overlap"];

    public static IReadOnlyList<ScheduleRequest> Read(JsonObject document, List<string> errors)
    {
        if (document["schedules"] is null)
        {
            return [];
        }

        if (document["schedules"] is not JsonArray list)
        {
            errors.Add("schedules: must be a list.");
            return [];
        }

        var schedules = new List<ScheduleRequest>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject node)
            {
                errors.Add($"schedules[{i}]: must be an object.");
                continue;
            }

            var name = node["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : $"#{i + 1}";
            var read = new FieldReader(errors, $"schedule '{name}': ");
            read.OnlyKnown(node, string.Empty, Fields);
            DateTimeOffset? Time(string field)
            {
                if (read.String(node, field, string.Empty) is not { } text)
                {
                    return null;
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    return time;
                }

                read.Error(field, "must be an ISO 8601 time, e.g. 2026-12-24T06:00:00Z.");
                return null;
            }

            schedules.Add(new ScheduleRequest
            {
                Name = read.String(node, "name", string.Empty, required: true) ?? string.Empty,
                Operation = read.String(node, "operation", string.Empty, required: true) ?? string.Empty,
                Group = read.String(node, "group", string.Empty),
                Target = read.String(node, "target", string.Empty),
                Parameters = read.Object(node, "parameters", string.Empty),
                Cron = read.String(node, "cron", string.Empty),
                Interval = read.Duration(node, "interval", string.Empty),
                TimeZone = read.String(node, "timeZone", string.Empty),
                Start = Time("start"),
                End = Time("end"),
                Misfire = read.String(node, "misfire", string.Empty),
                CatchUpWindow = read.Duration(node, "catchUpWindow", string.Empty),
                Overlap = read.String(node, "overlap", string.Empty),
            });
        }

        foreach (var twice in schedules.GroupBy(s => s.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"schedule '{twice.Key}' is declared {twice.Count()} times.");
        }

        return schedules;
    }
}
