using Jobwright.Model;
using Jobwright.Status;
using Spectre.Console;

namespace Jobwright.Cli;

/// <summary>Prints a job: its JSON record, the terminal view, or plain lines.</summary>
internal static class JobOutput
{
    public static void Print(CliContext context, JobRecord job)
    {
        if (context.Json)
        {
            CliContext.WriteJson(job);
        }
        else if (CliContext.IsTerminal)
        {
            var end = job.TimeCompleted ?? context.Time.GetUtcNow();
            context.Console.Write(JobView.Render(job, end - (job.TimeStarted ?? job.TimeSubmitted)));
            context.Console.WriteLine();
        }
        else
        {
            foreach (var line in PlainProgress.Changes(null, job))
            {
                Console.WriteLine(line);
            }
        }
    }

    /// <summary>The exit code of a job's status, after printing it.</summary>
    public static int PrintAndExit(CliContext context, JobRecord job)
    {
        Print(context, job);
        return ExitCodes.For(job.Status);
    }

    public static bool Ended(JobRecord job) => job.Status.IsTerminal();
}
