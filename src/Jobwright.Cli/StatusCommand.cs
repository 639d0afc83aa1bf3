using System.CommandLine;

namespace Jobwright.Cli;

/// <summary><c>jobwright status ID</c>: the job now; the exit code tells its status (10 while it has not ended).</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var id = CliArguments.JobId();
        var command = new Command("status", "Show a job.") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
            JobOutput.PrintAndExit(context, await client.GetAsync(parse.GetValue(id), ct)), ct));
        return command;
    }
}
