using System.CommandLine;

namespace Jobwright.Cli;

/// <summary><c>jobwright wait ID [--timeout DURATION]</c>: waits quietly for the job to end; the exit code tells its status.</summary>
internal static class WaitCommand
{
    public static Command Create()
    {
        var id = CliArguments.JobId();
        var timeout = CliArguments.Timeout("Give up after this long (exit code 10), e.g. 10m.");
        var command = new Command("wait", "Wait until a job ends.") { id, timeout };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            try
            {
                return JobOutput.PrintAndExit(context, await client.WaitAsync(parse.GetValue(id), parse.GetValue(timeout), ct));
            }
            catch (TimeoutException e)
            {
                await Console.Error.WriteLineAsync("error: " + e.Message);
                return ExitCodes.NotEnded;
            }
        }, ct));
        return command;
    }
}
