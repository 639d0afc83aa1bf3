namespace Jobwright.Node;

/// <summary>The Host header names a loopback node answers: the loopback names, the one it listens on, and those configured.</summary>
internal static class LoopbackHosts
{
    public static string[] For(Uri listen, IReadOnlyList<string> configured)
    {
        var hosts = new List<string> { "localhost", "127.0.0.1", "[::1]" };
        // Uri.Host keeps the brackets of an IPv6 address, as the Host header does.
        hosts.Add(listen.Host);
        hosts.AddRange(configured);
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }
}
