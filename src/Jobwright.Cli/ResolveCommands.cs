using System.CommandLine;
using System.Text.Json.Nodes;

namespace Jobwright.Cli;

/// <summary>
/// <c>jobwright complete ID [-p name=value]... [--note TEXT]</c>, <c>jobwright revert ID [--note TEXT]</c>,
/// <c>jobwright rerun ID [-p name=value]... [--not-before TIME] [--note TEXT]</c> and <c>jobwright ack ID [--note TEXT]</c>:
/// resolve an ended job by a linked job, or by hand.
/// </summary>
internal static class ResolveCommands
{
    public static Command Rerun()
    {
        var id = CliArguments.JobId();
        var parameters = Parameters();
        var notBefore = new Option<string?>("--not-before") { Description = "Start the copy no earlier than this: an ISO 8601 time or a duration from now (10m)." };
        notBefore.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && SubmitCommand.StartTime(r.Tokens[0].Value, DateTimeOffset.MinValue) is null)
            {
                r.AddError($"--not-before '{r.Tokens[0].Value}' is neither an ISO 8601 time (2026-12-24T06:00:00Z) nor a duration (10m, 2h).");
            }
        });
        var note = Note();
        var command = new Command("rerun", "Submit a linked copy of an ended job (its parameters, with those given changed).") { id, parameters, notBefore, note };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var changed = Changed(parse.GetValue(parameters));
            var start = parse.GetValue(notBefore) is { } text ? SubmitCommand.StartTime(text, context.Time.GetUtcNow()) : null;
            JobOutput.Print(context, await client.RerunAsync(parse.GetValue(id), changed, start, parse.GetValue(note), ct));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Complete()
    {
        var id = CliArguments.JobId();
        var parameters = Parameters();
        var note = Note();
        var command = new Command("complete", "Complete a COMPLETED_WITH_WARNINGS job: a linked job runs only the tasks that did not end OK.") { id, parameters, note };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            JobOutput.Print(context, await client.CompleteAsync(parse.GetValue(id), Changed(parse.GetValue(parameters)), parse.GetValue(note), ct));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Revert()
    {
        var id = CliArguments.JobId();
        var note = Note();
        var command = new Command("revert", "Revert an ended job: a linked job undoes the tasks that ended OK, last first.") { id, note };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            JobOutput.Print(context, await client.RevertAsync(parse.GetValue(id), parse.GetValue(note), ct));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Acknowledge()
    {
        var id = CliArguments.JobId();
        var note = Note();
        var command = new Command("ack", "Mark an ended job resolved by hand, with a note; its status stays.") { id, note };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            JobOutput.Print(context, await client.AcknowledgeAsync(parse.GetValue(id), parse.GetValue(note), ct));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Option<string[]> Parameters()
    {
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "A parameter to change, as name=value; repeat for more.", AllowMultipleArgumentsPerToken = false };
        parameters.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !t.Value.Contains('=', StringComparison.Ordinal) || t.Value.StartsWith('=')))
            {
                result.AddError($"-p '{token.Value}' is not name=value; write e.g. -p durationMs=2000.");
            }
        });
        return parameters;
    }

    private static JsonObject? Changed(string[]? pairs)
    {
        JsonObject? changed = null;
        foreach (var pair in pairs ?? [])
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            (changed ??= [])[pair[..split]] = pair[(split + 1)..];
        }

        return changed;
    }

    private static Option<string?> Note() => new("--note") { Description = "What was done, kept with the job's resolution." };
}
