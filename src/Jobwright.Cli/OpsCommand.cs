using System.CommandLine;
using Spectre.Console;

namespace Jobwright.Cli;

/// <summary><c>jobwright ops [NAME]</c>: the operations, or one with its parameters.</summary>
internal static class OpsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "One operation to describe.", Arity = ArgumentArity.ZeroOrOne };
        var group = new Option<string?>("--group") { Description = "The operation's group, when several groups have it." };
        var command = new Command("ops", "List the operations, or describe one.") { name, group };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            if (parse.GetValue(name) is not { } one)
            {
                var operations = await client.GetOperationsAsync(ct);
                if (context.Json)
                {
                    CliContext.WriteJson(new { operations });
                    return ExitCodes.Ok;
                }

                if (!CliContext.IsTerminal)
                {
                    // Piped: one plain row per operation, tab-separated under a header, never wrapped.
                    Console.WriteLine("OPERATION\tTARGET\tDESCRIPTION");
                    foreach (var operation in operations)
                    {
                        Console.WriteLine($"{operation.Group}/{operation.Name}\t{(operation.TargetRequired ? "required" : "optional")}\t{operation.Description}");
                    }

                    return ExitCodes.Ok;
                }

                var table = new Table().AddColumns("OPERATION", "TARGET", "DESCRIPTION");
                foreach (var operation in operations)
                {
                    table.AddRow(new Text($"{operation.Group}/{operation.Name}"), new Text(operation.TargetRequired ? "required" : "optional"), new Text(operation.Description ?? string.Empty));
                }

                context.Console.Write(table);
                return ExitCodes.Ok;
            }

            var described = await client.GetOperationAsync(one, parse.GetValue(group), ct);
            if (context.Json)
            {
                CliContext.WriteJson(described);
                return ExitCodes.Ok;
            }

            context.Console.MarkupLine($"[bold]{Markup.Escape($"{described.Group}/{described.Name}")}[/] {Markup.Escape(described.Description ?? string.Empty)}");
            context.Console.MarkupLine($"target: {(described.TargetRequired ? "required" : "optional")}");
            string[] header = ["PARAMETER", "TYPE", "REQUIRED", "DEFAULT", "ALLOWED", "DESCRIPTION"];
            var rows = described.Parameters.Select(parameter => new[]
            {
                parameter.Name, parameter.Type.ToString().ToLowerInvariant(), parameter.Required ? "yes" : "no", parameter.Default?.ToJsonString() ?? string.Empty,
                parameter.Enum is { } values ? string.Join(", ", values)
                    : parameter.Pattern ?? (parameter.Minimum is not null || parameter.Maximum is not null ? $"{parameter.Minimum} – {parameter.Maximum}" : string.Empty),
                parameter.Description ?? string.Empty,
            }).ToList();
            if (!CliContext.IsTerminal)
            {
                foreach (var row in rows.Prepend(header))
                {
                    Console.WriteLine(string.Join('\t', row));
                }

                return ExitCodes.Ok;
            }

            var parameters = new Table().AddColumns(header);
            foreach (var row in rows)
            {
                parameters.AddRow(row.Select(cell => new Text(cell)).ToArray<Spectre.Console.Rendering.IRenderable>());
            }

            context.Console.Write(parameters);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
