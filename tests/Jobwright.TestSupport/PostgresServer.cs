using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Jobwright.TestSupport;

/// <summary>
/// A private PostgreSQL server for the tests: Debian's binaries, a fresh data directory, a free port on
/// loopback, fsync and synchronous_commit on. When PostgreSQL is not installed the tests fail with the
/// fix in the message (./test.sh installs it); they are never skipped.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(() => StartAsync());

    private readonly string _bin;
    private readonly string _directory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string directory, int port, bool asPostgresUser)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>One server for the whole test run of an assembly, stopped when the process exits.</summary>
    public static Task<PostgresServer> Shared => SharedServer.Value;

    public int Port { get; }

    /// <summary>The connection string of the <c>postgres</c> database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    private string DataDirectory => Path.Combine(_directory, "data");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true }.ToString();

    /// <summary>A postgres:// URL of a database, as an operator would give it to <c>jobwright serve</c>.</summary>
    public string Url(string database) => $"postgres://postgres@127.0.0.1:{Port}/{database}";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        // initdb refuses to run as root: the server then runs as Debian's postgres user.
        var asPostgresUser = Environment.UserName == "root";
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres:postgres", directory]);
        }

        var server = new PostgresServer(bin, directory, FreePort(), asPostgresUser);
        await server.RunToolAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
        await File.AppendAllTextAsync(
            Path.Combine(server.DataDirectory, "postgresql.conf"),
            $"\nlisten_addresses = '127.0.0.1'\nport = {server.Port}\nunix_socket_directories = '{directory}'\nfsync = on\nsynchronous_commit = on\n" +
            "max_connections = 300\nshared_buffers = 128MB\nshared_preload_libraries = 'pg_stat_statements'\n");
        await server.StartServerAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "jw")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: connections are cut, nothing committed is lost).</summary>
    public Task StopServerAsync() => RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    public Task StartServerAsync() =>
        RunToolAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "start"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task RunToolAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Run ./test.sh, which installs Debian's postgresql package, or: sudo apt-get install postgresql");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
