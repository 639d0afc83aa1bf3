using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Operations;

namespace Jobwright.Server.Api;

/// <summary>Turns a <c>POST /api/v1/schedules</c> body into a <see cref="ScheduleRequest"/>, naming every field that is wrong.</summary>
internal static class ScheduleRequestParser
{
    private static readonly string[] Fields =
        ["name", "operation", "group", "target", "parameters", "cron", "interval", "timeZone", "start", "end", "misfire", "catchUpWindow", "overlap"];

    public static (ScheduleRequest? Request, IReadOnlyList<FieldError> Errors) Parse(JsonObject body)
    {
        var errors = body.Select(p => p.Key).Where(k => !Fields.Contains(k))
            .Select(k => new FieldError(k, $"Unknown field '{k}'; a schedule has {string.Join(", ", Fields)}.")).ToList();
        string? Text(string field, bool required = false)
        {
            switch (body[field])
            {
                case null when required:
                    errors.Add(new(field, $"{field} is required."));
                    return null;
                case null:
                    return null;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    return v.GetValue<string>();
                default:
                    errors.Add(new(field, $"{field} must be a string."));
                    return null;
            }
        }

        TimeSpan? Duration(string field)
        {
            if (Text(field) is not { } text)
            {
                return null;
            }

            if (DurationText.TryParse(text, out var duration))
            {
                return duration;
            }

            errors.Add(new(field, $"{field} must be a duration, e.g. \"30s\", \"10m\" or \"1h\"."));
            return null;
        }

        DateTimeOffset? Time(string field)
        {
            if (Text(field) is not { } text)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }

            errors.Add(new(field, $"{field} must be an ISO 8601 time, e.g. 2026-12-24T06:00:00Z."));
            return null;
        }

        var name = Text("name", required: true);
        var operation = Text("operation", required: true);
        JsonObject? parameters = null;
        if (body["parameters"] is { } given)
        {
            parameters = given as JsonObject;
            if (parameters is null)
            {
                errors.Add(new("parameters", "parameters must be a JSON object of name → value."));
            }
        }

        var request = new ScheduleRequest
        {
            Name = name ?? string.Empty,
            Operation = operation ?? string.Empty,
            Group = Text("group"),
            Target = Text("target"),
            Parameters = parameters,
            Cron = Text("cron"),
            Interval = Duration("interval"),
            TimeZone = Text("timeZone"),
            Start = Time("start"),
            End = Time("end"),
            Misfire = Text("misfire"),
            CatchUpWindow = Duration("catchUpWindow"),
            Overlap = Text("overlap"),
        };
        return errors.Count > 0 ? (null, errors) : (request, errors);
    }
}
