using Jobwright.TestSupport;
namespace Jobwright.Server.Tests.Hmc;

/// <summary>A fresh node per test and an HMC client logged on to it.</summary>
public abstract class HmcTestBase : IAsyncLifetime
{
    protected LoopbackNode Node { get; private set; } = null!;

    protected HmcTestClient Hmc { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        Hmc = new HmcTestClient(Node.Http);
        await Hmc.LogOnAsync();
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
