using System.CommandLine;
using Jobwright.Cli;

var root = new RootCommand("Jobwright: a durable job service with the IBM Power HMC job status contract.")
{
    ServeCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync("error: " + error.Message);
    }

    await Console.Error.WriteLineAsync("Run 'jobwright --help' for usage.");
    return ExitCodes.Usage;
}

// The node handles Ctrl+C and SIGTERM itself, with a grace period for running jobs.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
