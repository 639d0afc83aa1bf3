using System.CommandLine;

namespace Jobwright.Cli;

/// <summary><c>jobwright delete ID</c>.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var id = CliArguments.JobId();
        var command = new Command("delete", "Delete a job that has ended, with its history.") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var jobId = parse.GetValue(id);
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
