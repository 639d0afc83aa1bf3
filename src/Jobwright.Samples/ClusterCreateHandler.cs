using System.Xml;
using System.Xml.Linq;
using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>Cluster/Create: creates a (simulated) shared storage pool cluster, as the HMC's template of that name.</summary>
public sealed class ClusterCreateHandler(TimeProvider time) : IJobHandler
{
    private static readonly string[] Tasks = ["Validate cluster nodes", "Create repository disk", "Create shared storage pool"];

    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SampleSteps.RunAsync(context, Tasks, time, cancellationToken).ConfigureAwait(false);
        var cluster = Read(context.Parameters.GetString("clusterXml"), "clusterXml");
        var pool = Read(context.Parameters.GetString("sspXml"), "sspXml");
        context.SetResult("ClusterName", Value(cluster, "ClusterName") ?? context.Parameters.GetString("clusterName") ?? "cluster");
        if (Value(pool, "StoragePoolName") is { } poolName)
        {
            context.SetResult("StoragePoolName", poolName);
        }


        return JobOutcome.Completed();
    }

    // The HMC's clients send the Cluster and SharedStoragePool objects as XML text; DTDs stay refused (XmlReader's default).
    private static XElement? Read(string? xml, string parameter)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            return XElement.Parse(xml);
        }
        catch (XmlException e)
        {
            throw new InvalidOperationException($"{parameter} is not XML: {e.Message}", e);
        }
    }

    private static string? Value(XElement? root, string name) =>
        root?.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : null;
}
