using System.CommandLine;
using Jobwright.Model;

namespace Jobwright.Cli;

/// <summary>
/// <c>jobwright pause --target GROUP/TARGET | --operation GROUP/NAME [--note TEXT]</c>, <c>jobwright resume …</c>
/// and <c>jobwright pauses</c>.
/// </summary>
internal static class PauseCommands
{
    public static Command Pause()
    {
        var (target, operation) = Subjects();
        var note = new Option<string?>("--note") { Description = "Why, shown in the reason of every job it holds back." };
        var command = new Command("pause", "Pause a target or an operation: its waiting and new jobs stay NOT_STARTED until resumed; running jobs are not touched.") { target, operation, note };
        RequireOne(command, target, operation);
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var (kind, key) = Subject(parse, target, operation);
            var pause = await client.PauseAsync(kind, key, parse.GetValue(note), ct);
            if (context.Json)
            {
                CliContext.WriteJson(pause);
            }
            else
            {
                Console.WriteLine(Describe(pause));
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Resume()
    {
        var (target, operation) = Subjects();
        var command = new Command("resume", "Resume a paused target or operation: its waiting jobs may start.") { target, operation };
        RequireOne(command, target, operation);
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var (kind, key) = Subject(parse, target, operation);
            var resumed = await client.ResumeAsync(kind, key, ct);
            if (context.Json)
            {
                CliContext.WriteJson(new { kind, key, resumed });
            }
            else
            {
                Console.WriteLine(resumed ? $"{kind} {key} resumed" : $"{kind} {key} was not paused");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command List()
    {
        var command = new Command("pauses", "List the paused targets and operations.");
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var pauses = await client.ListPausesAsync(ct);
            if (context.Json)
            {
                CliContext.WriteJson(new { pauses });
            }
            else if (pauses.Count == 0)
            {
                Console.WriteLine("nothing is paused");
            }
            else
            {
                foreach (var pause in pauses)
                {
                    Console.WriteLine(Describe(pause));
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static string Describe(PauseRecord pause) =>
        $"{pause.Kind} {pause.Key} paused{(pause.By is { } by ? " by " + by : string.Empty)} since {pause.At.ToLocalTime():yyyy-MM-dd HH:mm:ss}{(pause.Note is { Length: > 0 } note ? " — " + note : string.Empty)}";

    private static (Option<string?> Target, Option<string?> Operation) Subjects()
    {
        var target = new Option<string?>("--target") { Description = "The target as GROUP/TARGET, e.g. LogicalPartition/lpar-1." };
        var operation = new Option<string?>("--operation") { Description = "The operation as GROUP/NAME, e.g. Sample/Simulate." };
        foreach (var option in new[] { target, operation })
        {
            option.Validators.Add(r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
                var split = text.IndexOf('/', StringComparison.Ordinal);
                if (split <= 0 || split == text.Length - 1)
                {
                    r.AddError($"{option.Name} '{text}' is not GROUP/NAME, e.g. {option.Name} {(option == target ? "LogicalPartition/lpar-1" : "Sample/Simulate")}.");
                }
            });
        }

        return (target, operation);
    }

    private static void RequireOne(Command command, Option<string?> target, Option<string?> operation) =>
        command.Validators.Add(result =>
        {
            if ((result.GetResult(target) is { Tokens.Count: > 0 }) == (result.GetResult(operation) is { Tokens.Count: > 0 }))
            {
                result.AddError($"{command.Name}: give --target GROUP/TARGET or --operation GROUP/NAME (one of them).");
            }
        });

    private static (string Kind, string Key) Subject(System.CommandLine.ParseResult parse, Option<string?> target, Option<string?> operation) =>
        parse.GetValue(target) is { } t ? (PauseKinds.Target, t) : (PauseKinds.Operation, parse.GetValue(operation)!);
}
