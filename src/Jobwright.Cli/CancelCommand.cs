using System.CommandLine;

namespace Jobwright.Cli;

/// <summary><c>jobwright cancel ID</c>.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var id = CliArguments.JobId();
        var command = new Command("cancel", "Cancel a job: at once if it has not started, by its handler's token if it runs.") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            JobOutput.Print(context, await client.CancelAsync(parse.GetValue(id), ct));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
