using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Handlers;
using Jobwright.Operations;

namespace Jobwright.Declared;

/// <summary>
/// Runs the steps of a declared operation in order, each as a task of the job; or, <paramref name="reverting"/>,
/// the revert steps of the reverted job's OK tasks, last first.
/// </summary>
internal sealed class DeclaredOperationHandler(IReadOnlyList<DeclaredStep> steps, HttpClient http, TimeProvider time, bool reverting = false) : IJobHandler
{
    private static readonly HashSet<HttpStatusCode> RetryLaterCodes = [HttpStatusCode.Conflict, HttpStatusCode.Locked, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable];

    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = Parameters(context);
        var run = reverting
            ? context.TasksToRevert.Select(done => steps.FirstOrDefault(s => s.Undoes == done.Name)).OfType<DeclaredStep>().ToArray()
            : steps;
        context.SetExpectedTaskCount(run.Count);
        JobOutcome? ending = null;
        var stopped = false;
        foreach (var step in run)
        {
            if (stopped)
            {
                context.SkipTask(step.Name, "an earlier step failed");
                continue;
            }

            var (outcome, retryAfter, error) = await context.RunTaskAsync(step.Name, (task, ct) => RunStepAsync(context, step, parameters, task, ct), cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case StepOutcome.RetryLater:
                    ending = JobOutcome.TargetBusy(retryAfter ?? TimeSpan.FromSeconds(30), error ?? $"step '{step.Name}' asked to retry later");
                    stopped = true;
                    break;
                case StepOutcome.Precondition:
                    ending = JobOutcome.PreconditionFailed(error ?? $"step '{step.Name}': precondition not met");
                    stopped = true;
                    break;
                case StepOutcome.Failed:
                    context.SetResult("result", error ?? $"step '{step.Name}' failed");
                    stopped = !step.ContinueOnError;
                    break;
            }
        }

        return ending ?? JobOutcome.Completed();
    }

    private static JsonObject Parameters(JobContext context)
    {
        var parameters = new JsonObject();
        foreach (var name in context.Parameters.Names)
        {
            parameters[name] = JsonNode.Parse(context.Parameters.Get<JsonNode>(name).ToJsonString());
        }

        return parameters;
    }

    private async Task<(StepOutcome Outcome, TimeSpan? RetryAfter, string? Error)> RunStepAsync(
        JobContext context, DeclaredStep step, JsonObject parameters, JobTask task, CancellationToken cancellationToken)
    {
        using var timeout = step.Timeout is { } limit ? new CancellationTokenSource(limit, time) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout?.Token ?? CancellationToken.None);
        try
        {
            var (outcome, retryAfter, error) = step.Run is not null
                ? await RunProgramAsync(context, step, parameters, linked.Token).ConfigureAwait(false)
                : await CallAsync(context, step, parameters, linked.Token).ConfigureAwait(false);
            switch (outcome)
            {
                case StepOutcome.Warning:
                    task.Warn(error ?? "finished with a warning");
                    break;
                case StepOutcome.Failed or StepOutcome.RetryLater or StepOutcome.Precondition:
                    task.Fail(error ?? outcome.ToString());
                    break;
            }

            return (outcome, retryAfter, error);
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            var message = $"step '{step.Name}' timed out after {step.Timeout}";
            task.Fail(message);
            return (StepOutcome.Failed, null, message);
        }
    }

    private static async Task<(StepOutcome, TimeSpan?, string?)> RunProgramAsync(JobContext context, DeclaredStep step, JsonObject parameters, CancellationToken cancellationToken)
    {
        var result = await ProgramRunner.RunAsync(step.Run!, parameters, cancellationToken).ConfigureAwait(false);
        context.SetResult("returnCode", result.ExitCode.ToString(CultureInfo.InvariantCulture));
        context.SetResult($"{step.Name}.stdout", result.Stdout);
        context.SetResult($"{step.Name}.stderr", result.Stderr);
        var outcome = result.ExitCode == 0 ? StepOutcome.Ok : step.ExitCodes.GetValueOrDefault(result.ExitCode, StepOutcome.Failed);
        if (step.ExitCodes.TryGetValue(result.ExitCode, out var mapped))
        {
            outcome = mapped;
        }

        var error = outcome == StepOutcome.Ok
            ? null
            : $"step '{step.Name}' exited with {result.ExitCode}{(string.IsNullOrWhiteSpace(result.Stderr) ? string.Empty : ": " + LastLine(result.Stderr))}";
        return (outcome, null, error);
    }

    private async Task<(StepOutcome, TimeSpan?, string?)> CallAsync(JobContext context, DeclaredStep step, JsonObject parameters, CancellationToken cancellationToken)
    {
        var call = step.Http!;
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), RenderUrl(call.Url, parameters));
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(Render(call.Body, parameters));
        }

        foreach (var (name, value) in call.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, Placeholders.Render(value, parameters));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return (StepOutcome.Failed, null, $"step '{step.Name}': cannot reach {request.RequestUri}: {e.Message}");
        }

        using var answer = response;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var code = (int)response.StatusCode;
        context.SetResult("returnCode", code.ToString(CultureInfo.InvariantCulture));
        context.SetResult($"{step.Name}.response", body.Length <= ProgramRunner.TailCharacters ? body : body[^ProgramRunner.TailCharacters..]);
        if (response.IsSuccessStatusCode)
        {
            return (StepOutcome.Ok, null, null);
        }

        var error = $"step '{step.Name}': HTTP {code} {response.ReasonPhrase}";
        if (RetryLaterCodes.Contains(response.StatusCode))
        {
            var retryAfter = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - time.GetUtcNow());
            return (StepOutcome.RetryLater, retryAfter is { } r && r > TimeSpan.Zero ? r : null, error);
        }

        return (StepOutcome.Failed, null, error);
    }

    // Values go into a URL escaped, so a parameter cannot change its path or query.
    private static string RenderUrl(string template, JsonObject parameters)
    {
        var escaped = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            escaped[name] = Uri.EscapeDataString(Placeholders.Text(value));
        }

        return Placeholders.Render(template, escaped);
    }

    private static JsonNode? Render(JsonNode? node, JsonObject parameters) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Render(p.Value, parameters)))),
        JsonArray a => new JsonArray(a.Select(e => Render(e, parameters)).ToArray()),
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Placeholders.Render(s, parameters)),
        _ => node?.DeepClone(),
    };

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? string.Empty;
}
