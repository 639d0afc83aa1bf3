using System.Diagnostics;

namespace Jobwright.TestSupport;

/// <summary>Runs a program to its end and returns its exit code and both outputs: the one way the tests run other programs.</summary>
public static class ProgramRun
{
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(
        string program, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string?>? environment = null, string? input = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }
}
