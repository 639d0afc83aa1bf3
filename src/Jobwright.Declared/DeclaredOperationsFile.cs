using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Operations;
using Jobwright.Status;

namespace Jobwright.Declared;

/// <summary>
/// Loads operations from a JSON or YAML file (see docs/operations.md). A file with mistakes is
/// refused whole, with a message that names the file, the operation and each field.
/// </summary>
public static class DeclaredOperationsFile
{
    private static readonly HttpClient Http = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>The operations of the file, ready to register.</summary>
    public static IReadOnlyList<OperationDefinition> Load(string path, TimeProvider time)
    {
        var (document, list) = Read(path);
        var errors = new List<string>();
        var operations = new List<OperationDefinition>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject node)
            {
                errors.Add($"operations[{i}]: must be an object.");
                continue;
            }

            var name = node["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : $"#{i + 1}";
            var reader = new FieldReader(errors, $"operation '{name}': ");
            if (Operation(node, reader, time) is { } operation)
            {
                operations.Add(operation);
            }
        }

        foreach (var duplicate in operations.GroupBy(o => o.QualifiedName).Where(g => g.Count() > 1))
        {
            errors.Add($"operation '{duplicate.Key}' is declared {duplicate.Count()} times.");
        }

        _ = DeclaredSchedules.Read(document, errors);
        if (errors.Count > 0)
        {
            throw new DeclaredOperationsException($"operations file {path}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return operations;
    }

    /// <summary>
    /// The schedules the file declares (its list <c>schedules</c>, each as <c>POST /api/v1/schedules</c> takes one);
    /// a node creates those whose name no schedule has yet.
    /// </summary>
    public static IReadOnlyList<Model.ScheduleRequest> LoadSchedules(string path)
    {
        var (document, _) = Read(path);
        var errors = new List<string>();
        var schedules = DeclaredSchedules.Read(document, errors);
        return errors.Count > 0
            ? throw new DeclaredOperationsException($"operations file {path}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
            : schedules;
    }

    private static (JsonObject Document, JsonArray Operations) Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeclaredOperationsException($"operations file {path}: cannot be read: {e.Message}");
        }

        JsonNode? root;
        try
        {
            root = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                : YamlToJson.Parse(text);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new DeclaredOperationsException($"operations file {path}: is not valid {(path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "JSON" : "YAML")}: {e.Message}");
        }

        if (root is not JsonObject document || document["operations"] is not JsonArray list)
        {
            throw new DeclaredOperationsException($"operations file {path}: must hold an object with a list 'operations'.");
        }

        return (document, list);
    }

    private static OperationDefinition? Operation(JsonObject node, FieldReader read, TimeProvider time)
    {
        var before = 0;
        read.OnlyKnown(node, string.Empty, "name", "group", "description", "target", "parameters", "concurrency", "whenTargetBusy", "timeout", "retry", "steps", "resumable", "revert", "redfishAction");
        var name = read.String(node, "name", string.Empty, required: true);
        var group = read.String(node, "group", string.Empty, required: true);
        var parameters = Parameters(read.Object(node, "parameters", string.Empty), read);
        var target = read.String(node, "target", string.Empty);
        foreach (var missing in (target is null ? [] : Placeholders.Names(target)).Where(p => parameters.All(d => d.Name != p)))
        {
            read.Error("target", $"refers to {{{missing}}}, which is not a parameter.");
        }

        var concurrency = read.Object(node, "concurrency", string.Empty);
        int perTarget = 1;
        int? total = null;
        if (concurrency is not null)
        {
            read.OnlyKnown(concurrency, "concurrency.", "perTarget", "total");
            perTarget = (int)(read.Integer(concurrency, "perTarget", "concurrency.") ?? 1);
            total = (int?)read.Integer(concurrency, "total", "concurrency.");
            if (perTarget < 1 || total is < 1)
            {
                read.Error("concurrency", "perTarget and total must be at least 1.");
            }
        }

        var steps = Steps(node["steps"], parameters, read);
        var revert = node["revert"] is null ? [] : Steps(node["revert"], parameters, read, "revert");
        foreach (var (step, i) in revert.Select((s, i) => (s, i)))
        {
            if (step.Undoes is null || steps.All(s => s.Name != step.Undoes))
            {
                read.Error($"revert[{i}].undoes", $"must name the step it undoes, one of: {string.Join(", ", steps.Select(s => s.Name))}.");
            }
        }

        foreach (var twice in revert.Where(s => s.Undoes is not null).GroupBy(s => s.Undoes).Where(g => g.Count() > 1))
        {
            read.Error("revert", $"step '{twice.Key}' is undone by {twice.Count()} revert steps; give it one.");
        }

        var definition = new OperationDefinition
        {
            Name = name ?? string.Empty,
            Group = group ?? string.Empty,
            Description = read.String(node, "description", string.Empty),
            Parameters = parameters,
            TargetTemplate = target,
            PerTargetConcurrency = perTarget,
            MaxConcurrency = total,
            WhenTargetBusy = BusyPolicy(node["whenTargetBusy"], read),
            Timeout = read.Duration(node, "timeout", string.Empty),
            Retry = Retry(read.Object(node, "retry", string.Empty), read),
            CreateHandler = _ => new DeclaredOperationHandler(steps, Http, time),
            // A complete job reruns from the first step that did not end OK: the steps that did are skipped.
            Resumable = read.Boolean(node, "resumable", string.Empty),
            // A Redfish action path (under /redfish/v1/) that starts this operation, e.g. Systems/{target}/Actions/ComputerSystem.Reset.
            RedfishAction = read.String(node, "redfishAction", string.Empty),
            CreateRevertHandler = revert.Count == 0 ? null : _ => new DeclaredOperationHandler(revert, Http, time, reverting: true),
        };
        _ = before;
        try
        {
            new OperationRegistry().Add(definition);
        }
        catch (ArgumentException e)
        {
            read.Error(e.Message.Contains("RedfishAction", StringComparison.Ordinal) ? "redfishAction" : "name", e.Message);
        }

        return definition;
    }

    private static List<ParameterDefinition> Parameters(JsonObject? node, FieldReader read)
    {
        var parameters = new List<ParameterDefinition>();
        foreach (var (name, value) in node ?? [])
        {
            var path = $"parameters.{name}.";
            if (value is not JsonObject spec)
            {
                read.Error("parameters." + name, "must be an object with at least a type.");
                continue;
            }

            read.OnlyKnown(spec, path, "type", "required", "default", "enum", "pattern", "minimum", "maximum", "sensitive", "description");
            var typeText = read.String(spec, "type", path, required: true);
            var type = typeText switch
            {
                "string" => ParameterType.String,
                "integer" => ParameterType.Integer,
                "number" => ParameterType.Number,
                "boolean" => ParameterType.Boolean,
                null => ParameterType.String,
                _ => Invalid(read, path + "type", $"'{typeText}' is not a type; use string, integer, number or boolean."),
            };
            List<string>? allowed = null;
            if (spec["enum"] is { } list)
            {
                allowed = list is JsonArray array && array.All(e => e is JsonValue) ? array.Select(e => Placeholders.Text(e)).ToList() : null;
                if (allowed is null)
                {
                    read.Error(path + "enum", "must be a list of values.");
                }
            }

            parameters.Add(new ParameterDefinition(name, type)
            {
                Required = read.Boolean(spec, "required", path),
                Default = spec["default"] is JsonValue d ? (JsonValue)d.DeepClone() : null,
                Enum = allowed,
                Pattern = read.String(spec, "pattern", path),
                Minimum = read.Number(spec, "minimum", path),
                Maximum = read.Number(spec, "maximum", path),
                Sensitive = read.Boolean(spec, "sensitive", path),
                Description = read.String(spec, "description", path),
            });
        }

        return parameters;
    }

    private static ParameterType Invalid(FieldReader read, string field, string message)
    {
        read.Error(field, message);
        return ParameterType.String;
    }

    private static TargetBusyPolicy BusyPolicy(JsonNode? node, FieldReader read)
    {
        switch (node)
        {
            case null:
                return TargetBusyPolicy.Default;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return Busy(value.GetValue<string>(), null, null, read);
            case JsonObject spec:
                read.OnlyKnown(spec, "whenTargetBusy.", "policy", "maxWait", "retryAfter");
                return Busy(read.String(spec, "policy", "whenTargetBusy.", required: true) ?? "wait", read.Duration(spec, "maxWait", "whenTargetBusy."), read.Duration(spec, "retryAfter", "whenTargetBusy."), read);
            default:
                read.Error("whenTargetBusy", "must be \"wait\", \"retryLater\", or an object { policy, maxWait, retryAfter }.");
                return TargetBusyPolicy.Default;
        }
    }

    private static TargetBusyPolicy Busy(string policy, TimeSpan? maxWait, TimeSpan? retryAfter, FieldReader read)
    {
        switch (policy)
        {
            case "wait":
                return TargetBusyPolicy.Wait(maxWait ?? TimeSpan.FromHours(1), retryAfter);
            case "retryLater":
                return TargetBusyPolicy.RetryLater(retryAfter ?? TimeSpan.FromSeconds(60));
            default:
                read.Error("whenTargetBusy", $"'{policy}' is not a policy; use wait or retryLater.");
                return TargetBusyPolicy.Default;
        }
    }

    private static RetryPolicy? Retry(JsonObject? node, FieldReader read)
    {
        if (node is null)
        {
            return null;
        }

        read.OnlyKnown(node, "retry.", "maxAttempts", "delay", "on");
        var attempts = (int)(read.Integer(node, "maxAttempts", "retry.") ?? 3);
        if (attempts < 1)
        {
            read.Error("retry.maxAttempts", "must be at least 1.");
        }

        var on = new List<JobStatus>();
        foreach (var item in node["on"] as JsonArray ?? [JsonValue.Create("retry-later")])
        {
            var text = Placeholders.Text(item);
            JobStatus status;
            if (text switch
            {
                "retry-later" => JobStatus.FailedBeforeCompletionRetry,
                "failed" => JobStatus.FailedBeforeCompletion,
                "error" => JobStatus.CompletedWithError,
                "warnings" => JobStatus.CompletedWithWarnings,
                _ => JobStatuses.TryParse(text, out status) && status.IsTerminal() ? status : (JobStatus?)null,
            } is { } mapped)
            {
                on.Add(mapped);
            }
            else
            {
                read.Error("retry.on", $"'{text}' is not an ending; use retry-later, failed, error, warnings or a terminal status.");
            }
        }

        return new RetryPolicy(attempts, read.Duration(node, "delay", "retry.") ?? TimeSpan.FromSeconds(30), on);
    }

    // The steps of "steps", or of "revert" (whose steps also say which step each undoes), with the same safety rules.
    private static List<DeclaredStep> Steps(JsonNode? node, List<ParameterDefinition> parameters, FieldReader read, string field = "steps")
    {
        var steps = new List<DeclaredStep>();
        if (node is not JsonArray list || list.Count == 0)
        {
            read.Error(field, "must be a list of at least one step.");
            return steps;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var path = $"{field}[{i}].";
            if (list[i] is not JsonObject spec)
            {
                read.Error($"{field}[{i}]", "must be an object.");
                continue;
            }

            read.OnlyKnown(spec, path, field == "revert" ? ["name", "run", "http", "exitCodes", "timeout", "continueOnError", "undoes"] : ["name", "run", "http", "exitCodes", "timeout", "continueOnError"]);
            var name = read.String(spec, "name", path, required: true) ?? $"step {i + 1}";
            IReadOnlyList<string>? run = null;
            if (spec["run"] is { } runNode)
            {
                if (runNode is JsonArray arguments && arguments.Count > 0 && arguments.All(a => a is JsonValue))
                {
                    run = arguments.Select(a => Placeholders.Text(a)).ToList();
                }
                else if (runNode is JsonValue)
                {
                    read.Error(path + "run", "must be a list of arguments, e.g. [\"/usr/bin/gzip\", \"-k\", \"{path}\"], not one string: a string would invite shell-style splitting.");
                }
                else
                {
                    read.Error(path + "run", "must be a non-empty list of arguments.");
                }
            }

            DeclaredStep.HttpCall? http = null;
            if (read.Object(spec, "http", path) is { } call)
            {
                read.OnlyKnown(call, path + "http.", "method", "url", "body", "headers");
                var url = read.String(call, "url", path + "http.", required: true);
                if (url is not null && !Uri.TryCreate(Placeholders.Render(url, []), UriKind.Absolute, out _))
                {
                    read.Error(path + "http.url", $"'{url}' is not an absolute URL.");
                }

                var headers = (read.Object(call, "headers", path + "http.") ?? []).ToDictionary(h => h.Key, h => Placeholders.Text(h.Value));
                http = new DeclaredStep.HttpCall((read.String(call, "method", path + "http.") ?? "POST").ToUpperInvariant(), url ?? string.Empty, call["body"]?.DeepClone(), headers);
            }

            if ((run is null) == (http is null))
            {
                read.Error(path.TrimEnd('.'), "needs exactly one of run or http.");
            }

            foreach (var missing in (run ?? []).Append(http?.Url ?? string.Empty).SelectMany(Placeholders.Names).Distinct().Where(p => parameters.All(d => d.Name != p)))
            {
                read.Error(path.TrimEnd('.'), $"refers to {{{missing}}}, which is not a parameter.");
            }

            var codes = new Dictionary<int, StepOutcome>();
            foreach (var (code, outcome) in read.Object(spec, "exitCodes", path) ?? [])
            {
                var text = Placeholders.Text(outcome);
                StepOutcome? mapped = text switch
                {
                    "ok" => StepOutcome.Ok,
                    "warning" => StepOutcome.Warning,
                    "failed" => StepOutcome.Failed,
                    "retry-later" => StepOutcome.RetryLater,
                    "precondition" => StepOutcome.Precondition,
                    _ => null,
                };
                if (!int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || mapped is null)
                {
                    read.Error($"{path}exitCodes.{code}", "maps an exit code (a number) to ok, warning, failed, retry-later or precondition.");
                    continue;
                }

                codes[number] = mapped.Value;
            }

            steps.Add(new DeclaredStep
            {
                Name = name,
                Run = run,
                Http = http,
                ExitCodes = codes,
                Timeout = read.Duration(spec, "timeout", path),
                ContinueOnError = read.Boolean(spec, "continueOnError", path),
                Undoes = field == "revert" ? read.String(spec, "undoes", path, required: true) : null,
            });
        }

        return steps;
    }
}
