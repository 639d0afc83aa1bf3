using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Jobwright.Cli;

/// <summary><c>jobwright audit</c>: the node's audit trail, newest first (admins only).</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var actor = new Option<string?>("--actor") { Description = "Only what this name did." };
        var action = new Option<string?>("--action") { Description = "Only this action: submit, cancel, delete or logon." };
        var limit = new Option<int>("--limit") { Description = "How many records (1 to 1000).", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && (!int.TryParse(result.Tokens[0].Value, out var n) || n is < 1 or > 1000))
            {
                result.AddError("--limit must be a whole number from 1 to 1000.");
            }
        });
        var command = new Command("audit", "Show the audit trail of a node with authentication (admins only).") { actor, action, limit };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var page = await client.ListAuditAsync(parse.GetValue(actor), parse.GetValue(action), parse.GetValue(limit), cancellationToken: ct);
            if (context.Json)
            {
                CliContext.WriteJson(new { records = page.Records, nextCursor = page.NextCursor });
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("TIME", "ACTOR", "FROM", "ACTION", "SUBJECT", "OUTCOME", "DETAIL");
            foreach (var record in page.Records)
            {
                table.AddRow(
                    Markup.Escape(record.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)), Markup.Escape(record.Actor),
                    Markup.Escape(record.Source ?? string.Empty), Markup.Escape(record.Action), Markup.Escape(record.Subject ?? string.Empty),
                    Markup.Escape(record.Outcome), Markup.Escape(record.Detail ?? string.Empty));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
