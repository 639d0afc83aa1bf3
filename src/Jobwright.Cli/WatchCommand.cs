using System.CommandLine;
using Jobwright.Client;

namespace Jobwright.Cli;

/// <summary><c>jobwright watch ID</c>: live progress until the job ends.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var id = CliArguments.JobId();
        var command = new Command("watch", "Follow a job until it ends: live progress on a terminal, a line per change otherwise.") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, (context, client) => FollowAsync(context, client, parse.GetValue(id), null, ct), ct));
        return command;
    }

    public static async Task<int> FollowAsync(CliContext context, JobwrightClient client, long jobId, TimeSpan? timeout, CancellationToken ct)
    {
        try
        {
            var job = await new JobWatcher(context, client).WatchAsync(jobId, timeout, ct);
            if (job is null)
            {
                await Console.Error.WriteLineAsync($"stopped watching job {jobId}; it goes on");
                return ExitCodes.Interrupted;
            }

            if (context.Json)
            {
                CliContext.WriteJson(job);
            }

            return ExitCodes.For(job.Status);
        }
        catch (TimeoutException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return ExitCodes.NotEnded;
        }
    }
}
