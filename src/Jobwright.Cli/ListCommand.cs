using System.CommandLine;
using Jobwright.Client;
using Jobwright.Status;
using Spectre.Console;

namespace Jobwright.Cli;

/// <summary><c>jobwright list [--status S] [--operation O] [--group G] [--target T] [--limit N]</c>, newest first.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var status = new Option<JobStatus[]>("--status")
        {
            Description = "Only these statuses (repeat, or comma-separated).",
            CustomParser = result =>
            {
                var statuses = new List<JobStatus>();
                foreach (var text in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                {
                    if (JobStatuses.TryParse(text, out var parsed))
                    {
                        statuses.Add(parsed);
                    }
                    else
                    {
                        result.AddError($"--status '{text}' is not a status; use one of {string.Join(", ", JobStatuses.All.Select(s => s.ToWire()))}.");
                    }
                }

                return [.. statuses];
            },
        };
        var operation = new Option<string?>("--operation") { Description = "Only this operation." };
        var group = new Option<string?>("--group") { Description = "Only this group." };
        var target = new Option<string?>("--target") { Description = "Only this target." };
        var limit = new Option<int>("--limit") { Description = "At most this many jobs (1 to 1000).", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && (!int.TryParse(result.Tokens[0].Value, out var n) || n is < 1 or > 1000))
            {
                result.AddError("--limit must be a whole number from 1 to 1000.");
            }
        });
        var command = new Command("list", "List jobs, newest first.") { status, operation, group, target, limit };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var page = await client.ListAsync(
                new JobListFilter
                {
                    Statuses = parse.GetValue(status) ?? [],
                    Operation = parse.GetValue(operation),
                    Group = parse.GetValue(group),
                    Target = parse.GetValue(target),
                    Limit = parse.GetValue(limit),
                },
                cancellationToken: ct);
            if (context.Json)
            {
                CliContext.WriteJson(new { jobs = page.Jobs, nextCursor = page.NextCursor });
                return ExitCodes.Ok;
            }

            if (!CliContext.IsTerminal)
            {
                // Tab-separated values with a header, for scripts and spreadsheets.
                Console.WriteLine("ID\tSTATUS\tOPERATION\tTARGET\tSUBMITTED\tWHY NOT STARTED");
                foreach (var job in page.Jobs)
                {
                    Console.WriteLine($"{job.JobId}\t{job.Status.ToWire()}\t{job.Group}/{job.Operation}\t{job.Target ?? "-"}\t{Submitted(job)}\t{job.NotStartedReason?.Message ?? string.Empty}");
                }

                return ExitCodes.Ok;
            }

            if (page.Jobs.Count == 0)
            {
                context.Console.WriteLine("no jobs match");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("ID", "STATUS", "OPERATION", "TARGET", "SUBMITTED", "WHY NOT STARTED");
            foreach (var job in page.Jobs)
            {
                table.AddRow(
                    new Text(job.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Markup($"[{StatusStyles.Colour(job.Status)}]{job.Status.ToWire()}[/]"),
                    new Text($"{job.Group}/{job.Operation}"),
                    new Text(job.Target ?? "-"),
                    new Text(Submitted(job)),
                    new Text(job.NotStartedReason?.Message ?? string.Empty));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    // Local time to the second: what a person reads, without the ticks of a round-trip format.
    private static string Submitted(Jobwright.Model.JobRecord job) =>
        job.TimeSubmitted.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
