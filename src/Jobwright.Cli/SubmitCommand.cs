using System.CommandLine;
using System.Text.Json.Nodes;
using Jobwright.Model;

namespace Jobwright.Cli;

/// <summary><c>jobwright submit OPERATION [--group G] [--target T] [-p name=value]... [--idempotency-key K] [--wait]</c>.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var operation = new Argument<string>("OPERATION") { Description = "The operation, e.g. Simulate or PowerOn." };
        var group = new Option<string?>("--group") { Description = "The operation's group, when several groups have it." };
        var target = new Option<string?>("--target") { Description = "What the job acts on." };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "A parameter as name=value; repeat for more.",
            AllowMultipleArgumentsPerToken = false,
        };
        parameters.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !t.Value.Contains('=', StringComparison.Ordinal) || t.Value.StartsWith('=')))
            {
                result.AddError($"-p '{token.Value}' is not name=value; write e.g. -p durationMs=2000.");
            }
        });
        var key = new Option<string?>("--idempotency-key") { Description = "A second submit with the same key returns the first job." };
        var notBefore = new Option<string?>("--not-before") { Description = "Start no earlier than this: an ISO 8601 time (2026-12-24T06:00:00Z) or a duration from now (10m, 2h)." };
        notBefore.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && StartTime(r.Tokens[0].Value, DateTimeOffset.MinValue) is null)
            {
                r.AddError($"--not-before '{r.Tokens[0].Value}' is neither an ISO 8601 time (2026-12-24T06:00:00Z) nor a duration (10m, 2h).");
            }
        });
        var wait = new Option<bool>("--wait") { Description = "Follow the job until it ends; the exit code tells its status." };
        var timeout = CliArguments.Timeout("With --wait: give up after this long (exit code 10), e.g. 5m.");
        var priority = new Option<int?>("--priority")
        {
            Description = $"Higher starts first among the jobs that may start ({Jobwright.Model.JobPriority.Lowest} to {Jobwright.Model.JobPriority.Highest}; default 0).",
            CustomParser = r => r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && value is >= Jobwright.Model.JobPriority.Lowest and <= Jobwright.Model.JobPriority.Highest
                ? value
                : Refuse(r, $"--priority takes a whole number from {Jobwright.Model.JobPriority.Lowest} to {Jobwright.Model.JobPriority.Highest}, e.g. --priority 10."),
        };
        var command = new Command("submit", "Submit a job.") { operation, group, target, parameters, key, notBefore, priority, wait, timeout };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var values = new JsonObject();
            foreach (var pair in parse.GetValue(parameters) ?? [])
            {
                var split = pair.IndexOf('=', StringComparison.Ordinal);
                values[pair[..split]] = pair[(split + 1)..];
            }

            var job = await client.SubmitAsync(
                new JobSubmission
                {
                    Operation = parse.GetValue(operation)!,
                    Group = parse.GetValue(group),
                    Target = parse.GetValue(target),
                    Parameters = values,
                    IdempotencyKey = parse.GetValue(key),
                    NotBefore = parse.GetValue(notBefore) is { } start ? StartTime(start, context.Time.GetUtcNow()) : null,
                    Priority = parse.GetValue(priority),
                },
                ct);
            if (!parse.GetValue(wait))
            {
                if (context.Json)
                {
                    CliContext.WriteJson(job);
                }
                else
                {
                    Console.WriteLine($"job {job.JobId} submitted ({job.Group}/{job.Operation}{(job.Target is null ? string.Empty : " on " + job.Target)})");
                }

                return ExitCodes.Ok;
            }

            if (!context.Json)
            {
                Console.WriteLine($"job {job.JobId} submitted");
            }

            return await WatchCommand.FollowAsync(context, client, job.JobId, parse.GetValue(timeout), ct);
        }, ct));
        return command;
    }

    // An ISO 8601 time, or a duration counted from now.
    internal static DateTimeOffset? StartTime(string text, DateTimeOffset now) =>
        Jobwright.Model.DurationText.TryParse(text, out var after) ? now + after
        : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at
        : null;

    private static int? Refuse(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }
}
