namespace Jobwright.Node;

/// <summary>The Host header names a loopback node answers: the loopback names, the one it listens on, and those configured.</summary>
public static class LoopbackHosts
{
    /// <summary>What is wrong with <paramref name="host"/> as a name for the Host header (a bare DNS name or IP address), or null.</summary>
    public static string? Problem(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return Uri.CheckHostName(bare) == UriHostNameType.Unknown
            ? $"'{host}' is not a host name: give a bare name or address, e.g. jobs.internal or 10.0.0.5 (no scheme, port or path)."
            : null;
    }

    /// <summary>Whether a URL names a loopback address (localhost, 127.0.0.0/8, ::1).</summary>
    internal static bool IsLoopback(Uri url) =>
        url.IsLoopback || (System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));

    internal static string[] For(IEnumerable<Uri> listens, IReadOnlyList<string> configured)
    {
        var hosts = new List<string> { "localhost", "127.0.0.1", "[::1]" };
        // Uri.Host keeps the brackets of an IPv6 address, as the Host header does.
        hosts.AddRange(listens.Select(l => l.Host));
        hosts.AddRange(configured);
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }
}
