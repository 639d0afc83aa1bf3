using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Operations;
using Jobwright.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Jobwright.Server.Api;

/// <summary>What <c>POST /api/v1/jobs/bulk</c> asks: an action, the list's filters, and whether to only count.</summary>
internal sealed record BulkRequest(string Action, JobQuery Filter, bool DryRun, string? Note)
{
    public const string Cancel = "cancel";
    public const string Delete = "delete";
    public const string Rerun = "rerun";
    public const string Acknowledge = "acknowledge";

    private static readonly string[] Actions = [Cancel, Rerun, Delete, Acknowledge];
    private static readonly HashSet<string> Fields = ["action", "filter", "dryRun", "note"];
    private static readonly HashSet<string> FilterFields = ["status", "operation", "group", "target", "submitter", "from", "to", "resolved"];

    /// <summary>The request, or the fields that are wrong (named <c>filter.status</c> and so on).</summary>
    public static (BulkRequest? Request, IReadOnlyList<FieldError> Errors, IResult? FilterProblem) Parse(JsonObject body)
    {
        var errors = new List<FieldError>();
        foreach (var (name, _) in body)
        {
            if (!Fields.Contains(name))
            {
                errors.Add(new(name, $"Unknown field '{name}'; a bulk request has action, filter, dryRun and note."));
            }
        }

        var action = body["action"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null;
        if (action is null)
        {
            errors.Add(new("action", $"action is required: one of {string.Join(", ", Actions)}."));
        }
        else if (!Actions.Contains(action))
        {
            errors.Add(new("action", $"'{action}' is not a bulk action; use one of {string.Join(", ", Actions)}."));
        }

        var dryRun = false;
        if (body["dryRun"] is { } dry)
        {
            if (dry.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                dryRun = dry.GetValue<bool>();
            }
            else
            {
                errors.Add(new("dryRun", "dryRun must be true or false."));
            }
        }

        string? note = null;
        if (body["note"] is { } noteNode)
        {
            if (noteNode is JsonValue n && n.GetValueKind() == JsonValueKind.String)
            {
                note = n.GetValue<string>();
            }
            else
            {
                errors.Add(new("note", "note must be a string (kept with each acknowledged job)."));
            }
        }

        var query = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        if (body["filter"] is not JsonObject filter)
        {
            errors.Add(new("filter", "filter is required: an object of the list's filters, e.g. { \"status\": \"NOT_STARTED\" } ({} matches every job)."));
        }
        else
        {
            foreach (var (name, value) in filter)
            {
                if (!FilterFields.Contains(name))
                {
                    errors.Add(new($"filter.{name}", $"Unknown filter '{name}'; filters are {string.Join(", ", FilterFields)}."));
                }
                else if (Text(value) is { } values)
                {
                    query[name] = values;
                }
                else
                {
                    errors.Add(new($"filter.{name}", $"filter.{name} must be a string{(name == "status" ? " or an array of strings" : string.Empty)}."));
                }
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors, null);
        }

        var (parsed, problem) = QueryParsing.ListQuery(new QueryCollection(query));
        return problem is not null ? (null, [], problem) : (new BulkRequest(action!, parsed! with { Limit = 1000 }, dryRun, note), [], null);
    }

    private static StringValues? Text(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (StringValues?)new StringValues(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => new StringValues(v.GetValue<bool>() ? "true" : "false"),
        JsonArray array when array.All(i => i is JsonValue iv && iv.GetValueKind() == JsonValueKind.String) => new StringValues([.. array.Select(i => i!.GetValue<string>())]),
        _ => null,
    };
}
