using System.CommandLine;

namespace Jobwright.Cli;

/// <summary><c>jobwright cancel ID</c>, or <c>jobwright cancel --filter KEY=VALUE… [--dry-run]</c> for every job that matches.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var id = CliArguments.OptionalJobId();
        var filter = BulkOptions.Filter();
        var dryRun = BulkOptions.DryRun();
        var command = new Command("cancel", "Cancel a job: at once if it has not started, by its handler's token if it runs. With --filter, every job that matches.") { id, filter, dryRun };
        BulkOptions.RequireIdOrFilter(command, id, filter, dryRun);
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            if (parse.GetValue(filter) is { } matching)
            {
                return await BulkOptions.RunAsync(context, client, "cancel", matching, parse.GetValue(dryRun), ct);
            }

            JobOutput.Print(context, await client.CancelAsync(parse.GetValue(id)!.Value, ct));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
