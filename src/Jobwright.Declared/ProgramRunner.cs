using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobwright.Operations;

namespace Jobwright.Declared;

/// <summary>
/// Runs a program step: no shell — the argument list goes to the program as it is, with
/// <c>{name}</c> replaced inside single arguments; parameters are also in the environment as
/// <c>JOBWRIGHT_&lt;NAME&gt;</c>. The program leads its own process group (through <c>setsid</c>), so a
/// cancel or timeout stops it and every child: SIGTERM, then SIGKILL after a grace period.
/// </summary>
internal static class ProgramRunner
{
    public const int TailCharacters = 4096;
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(3);

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(IReadOnlyList<string> run, JsonObject parameters, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--wait");
        foreach (var argument in run)
        {
            start.ArgumentList.Add(Placeholders.Render(argument, parameters));
        }

        foreach (var (name, value) in parameters)
        {
            start.Environment["JOBWRIGHT_" + name.ToUpperInvariant().Replace('-', '_')] = Placeholders.Text(value);
        }

        var stdout = new OutputTail(TailCharacters);
        var stderr = new OutputTail(TailCharacters);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => stdout.Append(e.Data);
        process.ErrorDataReceived += (_, e) => stderr.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process).ConfigureAwait(false);
            throw;
        }

        // The output readers finish once the program's pipes close.
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static async Task StopAsync(Process process)
    {
        ProcessGroup.Signal(process.Id, ProcessGroup.SigTerm);
        using var grace = new CancellationTokenSource(KillGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Children may outlive the leader's exit: the whole group goes.
        ProcessGroup.Signal(process.Id, ProcessGroup.SigKill);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
