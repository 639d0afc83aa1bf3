using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace Jobwright.Node;

/// <summary>
/// Once the server listens, checks that every address it listens on is loopback, and fails the start
/// otherwise: a second line of defence behind ignoring Kestrel's configured endpoints, should anything
/// else add an address.
/// </summary>
internal sealed class LoopbackListenCheck(IServer server) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var open = addresses.FirstOrDefault(a => !IsLoopback(a));
        if (open is not null)
        {
            throw new InvalidOperationException(
                $"The node was made to listen on {open}, which is not a loopback address (from configuration such as Kestrel__Endpoints__* or ASPNETCORE_URLS?). " +
                "A node that others can reach needs authentication, which this version does not have yet: listen on 127.0.0.1 (--listen).");
        }

        return Task.CompletedTask;
    }

    // Kestrel writes "every interface" as + or *.
    private static bool IsLoopback(string address) =>
        Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) &&
        LoopbackHosts.IsLoopback(uri);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
