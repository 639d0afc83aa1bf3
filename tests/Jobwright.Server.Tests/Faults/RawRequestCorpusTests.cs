using System.Net.Sockets;
using System.Text;
using Jobwright.Server.Tests.Hmc;
using Jobwright.TestSupport;
using Xunit.Abstractions;

namespace Jobwright.Server.Tests.Faults;

/// <summary>
/// The fault suite's corpus of bad headers, framing and encodings, written byte by byte on a socket (an
/// HttpClient would refuse to send most of it): random combinations of content types and charsets,
/// lengths that lie, chunked framing gone wrong, both framings at once, bodies in UTF-16, Latin-1 or with a
/// byte-order mark, compressed bodies, headers with control or non-ASCII bytes, huge headers, odd Accept
/// and session headers, against both APIs (seeded, so a failure replays). Every request gets an answer
/// (one whose body was cut short may get its connection closed instead) — none hangs —, none is a 5xx,
/// and only an accepted one creates a job.
/// </summary>
public sealed class RawRequestCorpusTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int CasesPerApi = 300;
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "application/json; charset=latin1",
        "application/json; charset=", "application/json; charset=\"", "application/json;;;", "text/plain", "application/xml",
        "application/vnd.ibm.powervm.web+xml; type=JobRequest", "application/vnd.ibm.powervm.web+xml; type=", "*/*", "\u00e9/\u00e9", "",
        "application/json, application/xml", "multipart/form-data; boundary=x",
    ];

    private static readonly string[] ExtraHeaders =
    [
        "Content-Encoding: gzip", "Content-Encoding: br, gzip", "Accept: application/xml", "Accept: */*;q=abc", "Accept: \u00ff",
        "Accept-Charset: utf-16", "Expect: 100-continue", "Expect: nonsense", "Transfer-Encoding: identity", "Transfer-Encoding: gzip, chunked",
        "X-API-Session: ", "X-API-Session: \u00e9\u00e9", "X-API-Session: a\u0001b", "Authorization: Basic Og==", "Authorization: Basic !!!",
        "X-Audit-Memento: hmc_test", "Origin: null", "Origin: http://evil.example", "Referer: \u00e9", "Cookie: a=\u00ff",
        "X-Long: " + new string('x', 40_000), "Connection: upgrade", "Upgrade: h2c", "Range: bytes=0-1", "If-None-Match: *",
    ];

    private LoopbackNode _node = null!;
    private string _session = string.Empty;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        var hmc = new HmcTestClient(_node.Http);
        await hmc.LogOnAsync();
        _session = hmc.Session!;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    [Trait("Category", "Faults")]
    public async Task Bad_headers_framing_and_encodings_on_the_JSON_API_never_hang_never_get_a_5xx_and_create_nothing_when_refused()
    {
        var body = """{"operation":"Simulate","target":"raw","parameters":{"durationMs":0,"tasks":1},"notBefore":"2099-01-01T00:00:00Z"}""";
        await RunCorpusAsync("POST", "/api/v1/jobs", body, seed: 13, extra: []);
    }

    [Fact]
    [Trait("Category", "Faults")]
    public async Task Bad_headers_framing_and_encodings_on_the_HMC_API_never_hang_never_get_a_5xx_and_create_nothing_when_refused()
    {
        var body = HmcTestClient.JobRequest("Simulate", "Sample", ("durationMs", "0"), ("tasks", "1"));
        await RunCorpusAsync("PUT", "/rest/api/uom/Sample/do/Simulate", body, seed: 17, extra: [$"X-API-Session: {_session}"]);
    }

    private async Task RunCorpusAsync(string method, string path, string body, int seed, string[] extra)
    {
        var random = new Random(seed);
        var port = new Uri(_node.Url).Port;
        var before = await _node.CountJobsAsync();
        var created = 0;
        var answers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < CasesPerApi; i++)
        {
            var (request, bodyCutShort) = Build(method, path, body, port, extra, random);
            var status = await SendAsync(port, request, bodyCutShort);
            answers[status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed"] = answers.GetValueOrDefault(status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed") + 1;
            Assert.True(status is null or < 500, $"case {i} (seed {seed}) answered {status}:\n{Encoding.Latin1.GetString(request)[..Math.Min(request.Length, 2000)]}");
            // Kestrel ends a connection when the client half-closes it: only a request whose body was cut short may go unanswered.
            Assert.True(status is not null || bodyCutShort, $"case {i} (seed {seed}) got no answer:\n{Encoding.Latin1.GetString(request)[..Math.Min(request.Length, 2000)]}");
            created += status is 200 or 202 ? 1 : 0;
        }

        output.WriteLine($"seed {seed}: {CasesPerApi} cases; answers {string.Join(", ", answers.Select(a => $"{a.Key}×{a.Value}"))}");
        Assert.Equal(before + created, await _node.CountJobsAsync());
    }

    // The request's bytes, and whether its body is shorter than its framing says.
    private static (byte[] Request, bool BodyCutShort) Build(string method, string path, string text, int port, string[] extra, Random random)
    {
        var body = Encode(text, random);
        var headers = new List<string> { $"Host: 127.0.0.1:{port}" };
        headers.AddRange(extra);
        if (random.Next(5) != 0)
        {
            headers.Add("Content-Type: " + ContentTypes[random.Next(ContentTypes.Length)]);
        }

        for (var n = random.Next(0, 3); n > 0; n--)
        {
            headers.Add(ExtraHeaders[random.Next(ExtraHeaders.Length)]);
        }

        var (framed, cutShort) = Frame(body, headers, random);
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\n");
        foreach (var header in headers.OrderBy(_ => random.Next()))
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        // Latin-1: every char below 256 is one byte, so the headers carry exactly the bytes chosen above.
        return ([.. Encoding.Latin1.GetBytes(head.ToString()), .. framed], cutShort);
    }

    private static byte[] Encode(string text, Random random) => random.Next(6) switch
    {
        0 => Encoding.Unicode.GetBytes(text),
        1 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
        2 => Encoding.Latin1.GetBytes(text.Replace("Simulate", "Simul\u00e9te", StringComparison.Ordinal)),
        3 => [0x1F, 0x8B, 0x08, 0x00, .. Encoding.UTF8.GetBytes(text)],
        _ => Encoding.UTF8.GetBytes(text),
    };

    // How the body is framed: honestly, with a length that lies, chunked (well or badly), or both at once.
    private static (byte[] Body, bool CutShort) Frame(byte[] body, List<string> headers, Random random)
    {
        switch (random.Next(7))
        {
            case 0:
                headers.Add($"Content-Length: {Math.Max(0, body.Length - random.Next(1, 20))}");
                return (body, false);
            case 1:
                // Longer than what is sent: the node must answer once the client stops sending, not wait forever.
                headers.Add($"Content-Length: {body.Length + random.Next(1, 20)}");
                return (body, true);
            case 2:
                headers.Add("Transfer-Encoding: chunked");
                return ([.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8], false);
            case 3:
                // A broken chunk, or one that never ends.
                headers.Add("Transfer-Encoding: chunked");
                var sizes = new[] { "zz", "-1", "ffffffffffffffffffff", $"{body.Length + 5:x}", $"{body.Length:x};ext=\u00e9" };
                return ([.. Encoding.Latin1.GetBytes($"{sizes[random.Next(sizes.Length)]}\r\n"), .. body, .. "\r\n"u8], true);
            case 4:
                headers.Add($"Content-Length: {body.Length}");
                headers.Add("Transfer-Encoding: chunked");
                return ([.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8], false);
            case 5:
                headers.Add($"Content-Length: {body.Length}");
                headers.Add($"Content-Length: {body.Length + 1}");
                return (body, true);
            default:
                headers.Add($"Content-Length: {body.Length}");
                return (body, false);
        }
    }

    // The answer's status code, or null when the node closed the connection without one.
    private static async Task<int?> SendAsync(int port, byte[] request, bool bodyCutShort)
    {
        using var hang = new CancellationTokenSource(HangBound);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, hang.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, hang.Token);
            if (bodyCutShort)
            {
                // The client is done sending; a body still owed can never come. (Kestrel ends a connection at
                // the client's half-close, so a complete request is not followed by one.)
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The node answered and closed before reading everything (a refused header, say): read the answer.
        }

        var buffer = new byte[64 * 1024];
        var received = new MemoryStream();
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, hang.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset after the answer: what arrived is enough.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no answer within {HangBound.TotalSeconds} s: the node hangs on this request");
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        return text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(text.AsSpan(9, 3), out var status) ? status : null;
    }
}
