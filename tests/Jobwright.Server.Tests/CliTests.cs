using Jobwright.TestSupport;

namespace Jobwright.Server.Tests;

/// <summary>The jobwright program refuses bad usage with a one-line message and its exit code, never a stack trace.</summary>
public sealed class CliTests
{
    [Theory]
    [InlineData(2, "frobnicate")]
    [InlineData(2, "serve", "--workers", "0")]
    [InlineData(2, "serve", "--workers", "many")]
    [InlineData(2, "serve", "--max-queued", "0")]
    [InlineData(2, "serve", "--max-queued", "lots")]
    [InlineData(2, "serve", "--store", "mysql://db")]
    [InlineData(2, "serve", "--shutdown-grace", "soon")]
    [InlineData(2, "serve", "--unknown-option")]
    [InlineData(2, "serve", "--retention", "soon")]
    [InlineData(2, "serve", "--otlp-endpoint", "ftp://collector:4317")]
    [InlineData(2, "serve", "--otlp-endpoint", "collector")]
    [InlineData(2, "serve", "--allowed-host", "http://jobs.internal")]
    [InlineData(2, "serve", "--allowed-host", "jobs.internal:5080")]
    [InlineData(2, "serve", "--allowed-host", "")]
    [InlineData(1, "serve", "--max-request-body", "12", "--store", "sqlite:unused.db")]
    [InlineData(1, "serve", "--listen", "http://0.0.0.0:5080", "--store", "sqlite:unused.db")]
    [InlineData(1, "serve", "--listen", "not a url", "--store", "sqlite:unused.db")]
    [InlineData(1, "serve", "--listen", "http://[::ffff:127.0.0.1]:0", "--store", "sqlite:unused.db")]
    [InlineData(2, "serve", "--store", "postgres://db.example:5432/")]
    [InlineData(2, "serve", "--store", "Host=db;Bogus=1")]
    [InlineData(2, "serve", "--store", "postgres://jw@127.0.0.1:1/jobs", "--lease", "soon")]
    [InlineData(1, "serve", "--store", "postgres://nobody@127.0.0.1:1/none", "--listen", "http://127.0.0.1:0")]
    [InlineData(1, "serve", "--key-file", "/proc/no-such-directory/jobwright.key", "--store", "sqlite:unused.db", "--listen", "http://127.0.0.1:0")]
    public async Task Bad_usage_prints_an_error_and_exits_with_its_code(int exitCode, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(arguments);
        Assert.Equal(exitCode, code);
        Assert.Contains("error", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_node_on_the_same_file_refuses_to_start()
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var store = "sqlite:" + Path.Combine(directory, "jobwright.db");
        await using var first = await NodeProcess.StartAsync("serve", "--listen", "http://127.0.0.1:0", "--store", store);
        var (code, _, stderr) = await RunAsync("serve", "--listen", "http://127.0.0.1:0", "--store", store);
        Assert.Equal(1, code);
        Assert.Contains("Another Jobwright node is using", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collector_address_that_is_not_an_http_url_is_refused_naming_where_it_came_from()
    {
        var (code, _, stderr) = await RunAsync("serve", "--otlp-endpoint", "collector:4317", "--store", "sqlite:unused.db");
        Assert.Equal(2, code);
        Assert.Contains("--otlp-endpoint takes an http or https URL", stderr, StringComparison.Ordinal);

        var directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        (code, _, stderr) = await RunWithEnvironmentAsync(
            new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "not a url" },
            "serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(directory, "otlp.db"));
        Assert.Equal(1, code);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT is 'not a url'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    internal static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        RunWithEnvironmentAsync(new Dictionary<string, string?>(), arguments);

    internal static Task<(int Code, string Stdout, string Stderr)> RunWithInputAsync(string input, params string[] arguments) =>
        RunWithEnvironmentAsync(new Dictionary<string, string?>(), arguments, input);

    internal static Task<(int Code, string Stdout, string Stderr)> RunWithEnvironmentAsync(IDictionary<string, string?> environment, params string[] arguments) =>
        RunWithEnvironmentAsync(environment, arguments, input: null);

    internal static Task<(int Code, string Stdout, string Stderr)> RunWithEnvironmentAsync(IDictionary<string, string?> environment, string[] arguments, string? input) =>
        ProgramRun.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "jobwright.dll"), .. arguments], environment: environment, input: input, timeout: TimeSpan.FromSeconds(60));
}
