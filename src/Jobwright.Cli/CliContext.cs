using System.CommandLine;
using System.Text.Json;
using Jobwright.Client;
using Jobwright.Model;
using Spectre.Console;

namespace Jobwright.Cli;

/// <summary>What every client command shares: the node's URL, JSON output, the console, and how failures become exit codes.</summary>
internal sealed class CliContext
{
    public const string ServerVariable = "JOBWRIGHT_SERVER";
    public const string KeyVariable = "JOBWRIGHT_KEY";

    private CliContext(Uri server, bool json, IAnsiConsole console)
    {
        Server = server;
        Json = json;
        Console = console;
    }

    public static Option<string> ServerOption { get; } = new("--server")
    {
        Description = $"The node's URL (default: ${ServerVariable}, else http://127.0.0.1:5080).",
        Recursive = true,
    };

    public static Option<string?> KeyOption { get; } = new("--key")
    {
        Description = $"An API key (jw_…) or a JWT for a node with authentication (default: ${KeyVariable}); sent as Authorization: Bearer.",
        Recursive = true,
    };

    public static Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print the API's records as one JSON document on stdout.",
        Recursive = true,
    };

    public Uri Server { get; }

    public bool Json { get; }

    public IAnsiConsole Console { get; }

    /// <summary>The clock of elapsed times shown (the program is a composition root: it chooses the system clock).</summary>
#pragma warning disable RS0030
    public TimeProvider Time { get; } = TimeProvider.System;
#pragma warning restore RS0030

    /// <summary>True when stdout is a terminal: live progress; otherwise plain lines.</summary>
    public static bool IsTerminal => !System.Console.IsOutputRedirected;

    public static async Task<int> RunAsync(ParseResult parse, Func<CliContext, JobwrightClient, Task<int>> command, CancellationToken cancellationToken)
    {
        var text = parse.GetValue(ServerOption) ?? Environment.GetEnvironmentVariable(ServerVariable) ?? "http://127.0.0.1:5080";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            await System.Console.Error.WriteLineAsync($"error: --server '{text}' is not an http URL, e.g. http://127.0.0.1:5080.");
            return ExitCodes.Usage;
        }

        var context = new CliContext(server, parse.GetValue(JsonOption), CreateConsole());
        using var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        // The key given, else the one of the credentials file; a session of `jobwright login` when there is no key.
        var (keptKey, keptSession) = CredentialStore.For(server);
        var credential = parse.GetValue(KeyOption) ?? Environment.GetEnvironmentVariable(KeyVariable) ?? keptKey;
        if (string.IsNullOrWhiteSpace(credential) && keptSession is not null)
        {
            http.DefaultRequestHeaders.Add("X-API-Session", keptSession);
        }

        var client = new JobwrightClient(http, new JobwrightClientOptions { Time = context.Time, Credential = string.IsNullOrWhiteSpace(credential) ? null : credential.Trim() });
        try
        {
            return await command(context, client);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            await System.Console.Error.WriteLineAsync($"error: cannot reach the node at {server}: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (JobwrightApiException e)
        {
            // Each thing said once: a field's message that the problem's own text already says is left out.
            var extra = e.Problem.Errors.Where(f => !e.Message.Contains(f.Message, StringComparison.Ordinal)).Select(f => $"{f.Field}: {f.Message}").ToList();
            var unknownOperation = e.Problem.Type == "urn:jobwright:problem:unknown-operation";
            var fields = extra.Count == 0 || unknownOperation ? string.Empty : " (" + string.Join("; ", extra) + ")";
            var hint = unknownOperation ? " Run 'jobwright ops' to see the operations." : string.Empty;
            await System.Console.Error.WriteLineAsync($"error: {(int)e.Status} {e.Message}{fields}{hint}");
            return ExitCodes.Refused;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Prints a value as the API's JSON.</summary>
    public static void WriteJson<T>(T value) =>
        System.Console.Out.WriteLine(JsonSerializer.Serialize(value, JobwrightJson.Options));

    // NO_COLOR (https://no-color.org) turns colours off; Spectre also honours it, this makes it explicit.
    private static IAnsiConsole CreateConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        ColorSystem = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(System.Console.Out),
    });
}
