using Jobwright.TestSupport;
using Npgsql;

namespace Jobwright.Cluster.Tests;

/// <summary>Node processes sharing one fresh PostgreSQL database, with a short lease so that losses show quickly.</summary>
public sealed class Cluster : IAsyncDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    private readonly List<NodeProcess> _nodes = [];

    private Cluster(PostgresServer server, string connectionString, string url, string directory)
    {
        Server = server;
        ConnectionString = connectionString;
        Url = url;
        Directory = directory;
    }

    public PostgresServer Server { get; }

    /// <summary>The cluster database, for checks made straight in it.</summary>
    public string ConnectionString { get; }

    /// <summary>The database as <c>--store</c> takes it.</summary>
    public string Url { get; }

    /// <summary>A scratch directory: the operations file, the key, what the handlers write.</summary>
    public string Directory { get; }

    public static async Task<Cluster> CreateAsync(PostgresServer? server = null)
    {
        server ??= await PostgresServer.Shared;
        var connectionString = await server.CreateDatabaseAsync("cluster");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "ops.yaml"), OperationsFile);
        return new Cluster(server, connectionString, server.Url(database), directory);
    }

    /// <summary>Starts a node with the sample operations and the cluster test operations.</summary>
    public async Task<NodeProcess> StartNodeAsync(string name, int workers = 16, params string[] extra)
    {
        var node = await NodeProcess.StartAsync(
        [
            "serve", "--listen", "http://127.0.0.1:0", "--store", Url, "--name", name, "--lease", $"{Lease.TotalSeconds}s",
            "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--key-file", Path.Combine(Directory, "jobwright.key"),
            "--operations", Path.Combine(Directory, "ops.yaml"), .. extra,
        ]);
        _nodes.Add(node);
        return node;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Record appends its marker to a file, so the test sees how often each job's program really ran;
    // Sleep runs long enough to be caught running; Steps reports progress between its steps.
    private const string OperationsFile = """
        operations:
          - name: Record
            group: Cluster
            parameters:
              marker: { type: integer, required: true }
              file: { type: string, required: true }
            steps:
              - name: Append
                run: ["/bin/sh", "-c", "echo \"$JOBWRIGHT_MARKER\" >> \"$JOBWRIGHT_FILE\""]
          - name: Sleep
            group: Cluster
            parameters:
              seconds: { type: number, required: true }
            steps:
              - name: Sleep
                run: ["/bin/sleep", "{seconds}"]
              - name: After
                run: ["/bin/true"]
        """;
}
