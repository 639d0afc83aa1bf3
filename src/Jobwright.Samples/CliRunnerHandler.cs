using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>
/// ManagementConsole/CLIRunner: "runs" an HMC command. <c>lshmc</c> and <c>lssyscfg -r sys</c> answer
/// with simulated output; any other command throws, as the HMC's sample does (FAILED_BEFORE_COMPLETION).
/// </summary>
public sealed class CliRunnerHandler : IJobHandler
{
    /// <inheritdoc />
    public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Parameters.GetString("cmd")!.Trim();
        var output = command switch
        {
            "lshmc -V" or "lshmc" => "\"version= Version: 10 Release: 3\"",
            _ when command.StartsWith("lssyscfg -r sys", StringComparison.Ordinal) => "sys-a\nsys-b",
            _ => throw new InvalidOperationException($"Unsupported command {command.Split(' ')[0]}"),
        };
        context.SetResult("returnCode", "0");
        context.SetResult("result", output);
        return Task.FromResult(JobOutcome.Completed());
    }
}
