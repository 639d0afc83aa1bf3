using System.CommandLine;
using Jobwright.Cli;

var root = new RootCommand("Jobwright: a durable job service with the IBM Power HMC job status contract.")
{
    ServeCommand.Create(),
    SubmitCommand.Create(),
    StatusCommand.Create(),
    WaitCommand.Create(),
    WatchCommand.Create(),
    CancelCommand.Create(),
    DeleteCommand.Create(),
    ResolveCommands.Complete(),
    ResolveCommands.Revert(),
    ResolveCommands.Rerun(),
    ResolveCommands.Acknowledge(),
    PauseCommands.Pause(),
    PauseCommands.Resume(),
    PauseCommands.List(),
    ScheduleCommand.Create(),
    ListCommand.Create(),
    OpsCommand.Create(),
    NodesCommand.Create(),
    PrincipalCommands.CreateUsers(),
    PrincipalCommands.CreateKeys(),
    AuditCommand.Create(),
    LoginCommand.CreateLogin(),
    LoginCommand.CreateLogout(),
};
root.Options.Add(CliContext.ServerOption);
root.Options.Add(CliContext.JsonOption);
root.Options.Add(CliContext.KeyOption);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // A mistyped command: one line that names it and the nearest command, instead of two generic ones.
    if (CommandSuggestion.For(root, args) is { } suggestion)
    {
        await Console.Error.WriteLineAsync("error: " + suggestion);
        return ExitCodes.Usage;
    }

    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync("error: " + error.Message);
    }

    await Console.Error.WriteLineAsync("Run 'jobwright --help' for usage.");
    return ExitCodes.Usage;
}

// The node (serve) and the watchers handle Ctrl+C themselves: a node gives running jobs a grace
// period, a watcher asks whether to cancel the job.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
