using System.Reflection;
using Jobwright.Client;
using Jobwright.Hosting;
using Jobwright.Status;

namespace Jobwright.Server.Tests;

/// <summary>Which assembly may know which: the client knows only the wire, the server no store.</summary>
public sealed class LayeringTests
{
    private static string[] JobwrightReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Jobwright", StringComparison.Ordinal)).Order().ToArray();

    [Fact]
    public void The_client_references_only_the_contracts() =>
        Assert.Equal(["Jobwright.Contracts"], JobwrightReferences(typeof(JobwrightClient).Assembly));

    [Fact]
    public void The_server_references_the_core_and_the_contracts_and_no_store_or_operations() =>
        Assert.Equal(["Jobwright.Contracts", "Jobwright.Core"], JobwrightReferences(typeof(JobwrightServerOptions).Assembly));

    [Fact]
    public void The_core_references_only_the_contracts() =>
        Assert.Equal(["Jobwright.Contracts"], JobwrightReferences(typeof(JobwrightOptions).Assembly));

    [Fact]
    public void The_statuses_live_in_the_contracts() =>
        Assert.Equal("Jobwright.Contracts", typeof(JobStatus).Assembly.GetName().Name);
}
