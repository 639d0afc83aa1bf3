using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Hosting;
using Jobwright.Node;
using Jobwright.Server;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests;

/// <summary>Starts the nodes of these tests: a <see cref="LoopbackNode"/> with the sample and the test operations.</summary>
public static class TestNode
{
    public static Task<LoopbackNode> StartAsync(Action<JobwrightBuilder>? configure = null, Func<NodeSettings, NodeSettings>? settings = null) =>
        LoopbackNode.StartAsync(settings, b =>
        {
            b.AddTestOperations();
            configure?.Invoke(b);
        });

    public static string Status(JsonObject job) => LoopbackNode.Status(job);

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
