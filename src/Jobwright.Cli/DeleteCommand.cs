using System.CommandLine;

namespace Jobwright.Cli;

/// <summary><c>jobwright delete ID</c>, or <c>jobwright delete --filter KEY=VALUE… [--dry-run]</c> for every ended job that matches.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var id = CliArguments.OptionalJobId();
        var filter = BulkOptions.Filter();
        var dryRun = BulkOptions.DryRun();
        var command = new Command("delete", "Delete a job that has ended, with its history. With --filter, every ended job that matches.") { id, filter, dryRun };
        BulkOptions.RequireIdOrFilter(command, id, filter, dryRun);
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            if (parse.GetValue(filter) is { } matching)
            {
                return await BulkOptions.RunAsync(context, client, "delete", matching, parse.GetValue(dryRun), ct);
            }

            var jobId = parse.GetValue(id)!.Value;
            await client.DeleteAsync(jobId, ct);
            if (context.Json)
            {
                CliContext.WriteJson(new { jobId, deleted = true });
            }
            else
            {
                Console.WriteLine($"job {jobId} deleted");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
