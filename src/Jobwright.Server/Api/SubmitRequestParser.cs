using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Operations;

namespace Jobwright.Server.Api;

/// <summary>Turns a submit body into a <see cref="JobSubmission"/>, naming every field that is wrong.</summary>
internal static class SubmitRequestParser
{
    private static readonly HashSet<string> Fields = ["operation", "group", "target", "parameters", "idempotencyKey", "notBefore", "priority"];

    public static (JobSubmission? Submission, IReadOnlyList<FieldError> Errors) Parse(JsonObject body, string? idempotencyHeader)
    {
        var errors = new List<FieldError>();
        foreach (var (name, _) in body)
        {
            if (!Fields.Contains(name))
            {
                errors.Add(new(name, $"Unknown field '{name}'; a submit has {string.Join(", ", Fields)}."));
            }
        }

        var operation = String(body, "operation", errors, required: true);
        var group = String(body, "group", errors);
        var target = String(body, "target", errors);
        var key = String(body, "idempotencyKey", errors) ?? idempotencyHeader;
        JsonObject? parameters = null;
        if (body["parameters"] is { } p)
        {
            if (p is JsonObject o)
            {
                parameters = o;
            }
            else
            {
                errors.Add(new("parameters", "parameters must be a JSON object of name → value."));
            }
        }

        DateTimeOffset? notBefore = null;
        if (String(body, "notBefore", errors) is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                notBefore = parsed;
            }
            else
            {
                errors.Add(new("notBefore", "notBefore must be an ISO 8601 time, e.g. 2026-11-29T14:05:00Z."));
            }
        }

        int? priority = null;
        if (body["priority"] is { } priorityNode)
        {
            if (priorityNode is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<int>(out var value))
            {
                priority = value;
            }
            else
            {
                errors.Add(new("priority", $"priority must be a whole number from {JobPriority.Lowest} to {JobPriority.Highest} (higher starts first; default 0)."));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new JobSubmission
        {
            Operation = operation!,
            Group = group,
            Target = target,
            Parameters = parameters,
            IdempotencyKey = key,
            NotBefore = notBefore,
            Priority = priority,
        }, errors);
    }

    private static string? String(JsonObject body, string field, List<FieldError> errors, bool required = false)
    {
        var node = body[field];
        if (node is null)
        {
            if (required)
            {
                errors.Add(new(field, $"{field} is required."));
            }

            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        errors.Add(new(field, $"{field} must be a string."));
        return null;
    }
}
