using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Jobwright.Client;
using Jobwright.Status;

namespace Jobwright.Cli;

/// <summary>
/// <c>--filter KEY=VALUE</c> (the list's filters, repeatable) and <c>--dry-run</c>, which turn <c>cancel</c> and
/// <c>delete</c> from one job into every job that matches.
/// </summary>
internal static class BulkOptions
{
    private static readonly string[] Keys = ["status", "operation", "group", "target", "submitter", "from", "to", "resolved"];

    public static Option<JobListFilter?> Filter() => new("--filter")
    {
        Description = $"Act on every job that matches instead of one id: {string.Join(", ", Keys)} (repeat, e.g. --filter status=NOT_STARTED --filter operation=Simulate).",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = Parse,
    };

    public static Option<bool> DryRun() => new("--dry-run") { Description = "With --filter: count the jobs that match and show the first ids; change nothing." };

    /// <summary>Refuses an id together with --filter, neither of them, and --dry-run without --filter.</summary>
    public static void RequireIdOrFilter(Command command, Argument<long?> id, Option<JobListFilter?> filter, Option<bool> dryRun) =>
        command.Validators.Add(result =>
        {
            var hasId = result.GetResult(id) is { Tokens.Count: > 0 };
            var hasFilter = result.GetResult(filter) is { Tokens.Count: > 0 };
            if (hasId == hasFilter)
            {
                result.AddError($"{command.Name}: give a job id, or --filter KEY=VALUE for every job that matches (not both).");
            }
            else if (!hasFilter && result.GetValue(dryRun))
            {
                result.AddError("--dry-run goes with --filter.");
            }
        });

    public static async Task<int> RunAsync(CliContext context, JobwrightClient client, string action, JobListFilter filter, bool dryRun, CancellationToken ct)
    {
        var summary = await client.BulkAsync(action, filter, dryRun, ct);
        if (context.Json)
        {
            CliContext.WriteJson(summary);
            return ExitCodes.Ok;
        }

        var first = summary.FirstIds.Count == 0 ? string.Empty : $"; first: {string.Join(", ", summary.FirstIds)}";
        if (summary.DryRun)
        {
            Console.WriteLine($"{Jobs(summary.Matched)} match (dry run: nothing changed){first}");
        }
        else
        {
            var verb = action == "cancel" ? "canceled" : "deleted";
            var reasons = summary.SkippedReasons.Count == 0 ? string.Empty : $" ({string.Join(", ", summary.SkippedReasons.Select(r => $"{r.Value} {r.Key}"))})";
            Console.WriteLine($"{Jobs(summary.Matched)} matched: {summary.Done} {verb}, {summary.Skipped} skipped{reasons}");
        }

        return ExitCodes.Ok;
    }

    private static string Jobs(long n) => n == 1 ? "1 job" : $"{n.ToString("N0", CultureInfo.InvariantCulture)} jobs";

    private static JobListFilter? Parse(ArgumentResult result)
    {
        var filter = new JobListFilter();
        foreach (var token in result.Tokens.Select(t => t.Value))
        {
            var split = token.IndexOf('=', StringComparison.Ordinal);
            var key = split > 0 ? token[..split] : token;
            var value = split > 0 ? token[(split + 1)..] : string.Empty;
            if (!Keys.Contains(key) || value.Length == 0)
            {
                result.AddError($"--filter '{token}': give KEY=VALUE with KEY one of {string.Join(", ", Keys)}.");
                return null;
            }

            switch (key)
            {
                case "status":
                    var statuses = new List<JobStatus>(filter.Statuses);
                    foreach (var text in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!JobStatuses.TryParse(text, out var status))
                        {
                            result.AddError($"--filter status='{text}' is not a status; use one of {string.Join(", ", JobStatuses.All.Select(s => s.ToWire()))}.");
                            return null;
                        }

                        statuses.Add(status);
                    }

                    filter = filter with { Statuses = statuses };
                    break;
                case "from" or "to":
                    if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                    {
                        result.AddError($"--filter {key}='{value}' is not an ISO 8601 time, e.g. 2026-12-01T10:00:00Z.");
                        return null;
                    }

                    filter = key == "from" ? filter with { From = time } : filter with { To = time };
                    break;
                case "resolved":
                    if (!bool.TryParse(value, out var resolved))
                    {
                        result.AddError($"--filter resolved='{value}' takes true or false.");
                        return null;
                    }

                    filter = filter with { Resolved = resolved };
                    break;
                case "operation":
                    filter = filter with { Operation = value };
                    break;
                case "group":
                    filter = filter with { Group = value };
                    break;
                case "target":
                    filter = filter with { Target = value };
                    break;
                default:
                    filter = filter with { Submitter = value };
                    break;
            }
        }

        return filter;
    }
}
