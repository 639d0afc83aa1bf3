using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Jobwright.Model;

namespace Jobwright.Cli;

/// <summary><c>jobwright schedule add|list|show|pause|resume|rm|next</c>: recurring jobs.</summary>
internal static class ScheduleCommand
{
    public static Command Create()
    {
        var command = new Command("schedule", "Recurring jobs: add, list, show, pause, resume, rm, next.") { Add(), List(), Show(), Pause(true), Pause(false), Remove(), Next() };
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "A unique name, e.g. nightly-backup." };
        var operation = new Argument<string>("OPERATION") { Description = "The operation each run submits." };
        var cron = new Option<string?>("--cron") { Description = "When it is due: five cron fields (\"0 6 * * 1-5\") or six with seconds." };
        var every = new Option<TimeSpan?>("--every") { Description = "Or a fixed interval, e.g. 10m.", CustomParser = r => Duration(r, "--every") };
        var group = new Option<string?>("--group") { Description = "The operation's group, when several groups have it." };
        var target = new Option<string?>("--target") { Description = "The target of each run." };
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "A parameter as name=value; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var zone = new Option<string?>("--time-zone") { Description = "The IANA time zone of the cron expression (UTC by default), e.g. Europe/Berlin." };
        var misfire = new Option<string?>("--misfire") { Description = "runOnce (default), runAll or skip: what to do with runs missed while the node was down or the schedule paused." };
        var overlap = new Option<string?>("--overlap") { Description = "skip (default), bufferOne, allow or cancelPrevious: what to do when the previous run has not ended." };
        var command = new Command("add", "Create a schedule.") { name, operation, cron, every, group, target, parameters, zone, misfire, overlap };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            JsonObject? values = null;
            foreach (var pair in parse.GetValue(parameters) ?? [])
            {
                var split = pair.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0)
                {
                    await Console.Error.WriteLineAsync($"error: -p '{pair}' is not name=value; write e.g. -p durationMs=2000.");
                    return ExitCodes.Usage;
                }

                (values ??= [])[pair[..split]] = pair[(split + 1)..];
            }

            var schedule = await client.CreateScheduleAsync(
                new ScheduleRequest
                {
                    Name = parse.GetValue(name)!,
                    Operation = parse.GetValue(operation)!,
                    Group = parse.GetValue(group),
                    Target = parse.GetValue(target),
                    Parameters = values,
                    Cron = parse.GetValue(cron),
                    Interval = parse.GetValue(every),
                    TimeZone = parse.GetValue(zone),
                    Misfire = parse.GetValue(misfire),
                    Overlap = parse.GetValue(overlap),
                },
                ct);
            Print(context, schedule);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the schedules.");
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var schedules = await client.ListSchedulesAsync(ct);
            if (context.Json)
            {
                CliContext.WriteJson(new { schedules });
            }
            else if (schedules.Count == 0)
            {
                Console.WriteLine("no schedules");
            }
            else
            {
                foreach (var schedule in schedules)
                {
                    Console.WriteLine(Line(schedule));
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Show()
    {
        var id = Id();
        var command = new Command("show", "Show a schedule and its next runs.") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            Print(context, await client.GetScheduleAsync(parse.GetValue(id), ct));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Pause(bool paused)
    {
        var id = Id();
        var command = new Command(paused ? "pause" : "resume", paused ? "Pause a schedule: it makes no run until resumed." : "Resume a schedule: runs missed meanwhile follow its misfire policy.") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            Print(context, await client.PauseScheduleAsync(parse.GetValue(id), paused, ct));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Remove()
    {
        var id = Id();
        var command = new Command("rm", "Delete a schedule; the jobs it made stay.") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            await client.DeleteScheduleAsync(parse.GetValue(id), ct);
            Console.WriteLine($"schedule {parse.GetValue(id)} deleted");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Next()
    {
        var id = Id();
        var count = new Option<int>("--count") { Description = "How many (1 to 100).", DefaultValueFactory = _ => 10 };
        count.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && (!int.TryParse(r.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 100))
            {
                r.AddError("--count must be a whole number from 1 to 100.");
            }
        });
        var command = new Command("next", "The next times a schedule is due.") { id, count };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var times = await client.NextRunsAsync(parse.GetValue(id), parse.GetValue(count), ct);
            if (context.Json)
            {
                CliContext.WriteJson(new { nextRuns = times });
            }
            else
            {
                foreach (var time in times)
                {
                    Console.WriteLine(time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static void Print(CliContext context, ScheduleRecord schedule)
    {
        if (context.Json)
        {
            CliContext.WriteJson(schedule);
            return;
        }

        Console.WriteLine(Line(schedule));
        foreach (var next in schedule.NextRuns ?? [])
        {
            Console.WriteLine($"  next: {next.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}");
        }
    }

    private static string Line(ScheduleRecord s)
    {
        var when = s.Cron is { } cron ? $"cron '{cron}' ({s.TimeZone})" : $"every {DurationText.Format(TimeSpan.FromSeconds(s.IntervalSeconds ?? 0))}";
        return $"schedule {s.ScheduleId} {s.Name}: {s.Group}/{s.Operation}{(s.Target is null ? string.Empty : " on " + s.Target)}, {when}, " +
            $"misfire {s.Misfire}, overlap {s.Overlap}{(s.Paused ? ", paused" : string.Empty)}{(s.LastJobId is { } last ? $", last run job {last}" : string.Empty)}";
    }

    private static Argument<long> Id() => new("ID")
    {
        Description = "The schedule's id.",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                return id;
            }

            result.AddError($"'{text}' is not a schedule id; a schedule id is a positive whole number, e.g. 3.");
            return 0;
        },
    };

    private static TimeSpan? Duration(System.CommandLine.Parsing.ArgumentResult result, string option)
    {
        if (result.Tokens.Count == 1 && DurationText.TryParse(result.Tokens[0].Value, out var duration))
        {
            return duration;
        }

        result.AddError($"{option} takes a duration, e.g. {option} 10m.");
        return null;
    }
}
