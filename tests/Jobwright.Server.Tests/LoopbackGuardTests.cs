using System.Net;
using System.Net.Sockets;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests;

/// <summary>Only --listen decides where a node listens: Kestrel endpoints from configuration cannot open it to the network.</summary>
public sealed class LoopbackGuardTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-guard-").FullName;

    [Fact]
    public async Task A_Kestrel_endpoint_on_every_interface_from_the_environment_is_not_listened_on()
    {
        var port = FreePort();
        await using var node = await NodeProcess.StartAsync(
            new NodeProcessOptions { Environment = new Dictionary<string, string?> { ["Kestrel__Endpoints__Open__Url"] = $"http://0.0.0.0:{port}" } },
            "serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "guard.db"));

        Assert.Equal(IPAddress.Loopback.ToString(), node.Http.BaseAddress!.Host);
        Assert.NotEqual(port, node.Http.BaseAddress.Port);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/healthz")).StatusCode);
        // 0.0.0.0 would include loopback: nothing answers on that port at all.
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task An_appsettings_file_in_the_working_directory_cannot_open_the_node_either()
    {
        var port = FreePort();
        var settings = new System.Text.Json.Nodes.JsonObject
        {
            ["Kestrel"] = new System.Text.Json.Nodes.JsonObject { ["Endpoints"] = new System.Text.Json.Nodes.JsonObject { ["Open"] = new System.Text.Json.Nodes.JsonObject { ["Url"] = $"http://0.0.0.0:{port}" } } },
        };
        await File.WriteAllTextAsync(Path.Combine(_directory, "appsettings.json"), settings.ToJsonString());
        await using var node = await NodeProcess.StartAsync(
            new NodeProcessOptions { WorkingDirectory = _directory },
            "serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "guard.db"));

        Assert.NotEqual(port, node.Http.BaseAddress!.Port);
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
