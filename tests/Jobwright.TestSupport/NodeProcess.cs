using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Jobwright.TestSupport;

/// <summary>The real jobwright program running <c>serve</c> in its own process.</summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly System.Text.StringBuilder _output;
    private readonly OutputWaiters _waiters;

    private NodeProcess(Process process, string url, System.Text.StringBuilder output, OutputWaiters waiters)
    {
        _process = process;
        _output = output;
        _waiters = waiters;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    /// <summary>What the node wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Completes when the node has written a line containing <paramref name="text"/> (already, or later).</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        lock (_output)
        {
            return _output.ToString().Contains(text, StringComparison.Ordinal) ? Task.CompletedTask : _waiters.Add(text).WaitAsync(timeout);
        }
    }

    public static Task<NodeProcess> StartAsync(params string[] arguments) => StartAsync(new NodeProcessOptions(), arguments);

    /// <summary>Starts the program in the working directory and with the environment variables of <paramref name="options"/>.</summary>
    public static async Task<NodeProcess> StartAsync(NodeProcessOptions options, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(options);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.WorkingDirectory is { } directory)
        {
            start.WorkingDirectory = directory;
        }

        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jobwright.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the node did not start");
        // Its URL once it listens, or null when its standard output ended first (it exited).
        var listening = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        var waiters = new OutputWaiters();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetResult(null);
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
                waiters.Saw(e.Data);
            }

            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data is not null)
                {
                    waiters.Saw(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (url is null)
        {
            // Its standard error may still be on its way (the error line itself): wait until both streams have ended.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            process.Dispose();
            string said;
            lock (output)
            {
                said = output.ToString();
            }

            throw new InvalidOperationException("the node exited: " + said);
        }

        return new NodeProcess(process, url, output, waiters);
    }

    private int _disposed;

    /// <summary>The node's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>SIGSTOP: the node freezes (a long garbage collection, a paused VM) without knowing it.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: the frozen node carries on where it stopped.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>Asks the node to stop (SIGTERM) and waits until it has.</summary>
    public async Task StopAsync()
    {
        await SignalAsync("TERM");
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Kills the node if it still runs; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed");
        }
    }

    [GeneratedRegex(@"listening on (https?://\S+)")]
    private static partial Regex ListeningLine();
}
