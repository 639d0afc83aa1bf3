using System.Net;
using System.Text;
using Jobwright.Server.Tests.Hmc;
using Jobwright.TestSupport;
using Xunit.Abstractions;

namespace Jobwright.Server.Tests.Faults;

/// <summary>
/// The fault suite's bad-input corpus: valid submits of both APIs, cut, flipped, spliced and stuffed at
/// random places (seeded, so a failure replays). Whatever comes of a body, the node answers it without a
/// 5xx, and it creates exactly one job for each answer that says it created one, none for a refusal.
/// </summary>
public sealed class BadInputCorpusTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int CasesPerApi = 400;

    private static readonly byte[][] Stuffing =
    [
        [0x00], [0xFF], [0xC3], [0xED, 0xA0, 0x80], "\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(),
        "{"u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), "1e999999"u8.ToArray(), "-0"u8.ToArray(), "null"u8.ToArray(),
        "<"u8.ToArray(), "&#1;"u8.ToArray(), "&amp;"u8.ToArray(), "<![CDATA[x]]>"u8.ToArray(), "<!DOCTYPE x>"u8.ToArray(),
        [.. Enumerable.Repeat((byte)'[', 200)], [.. Enumerable.Repeat((byte)'a', 5000)],
    ];

    private LoopbackNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    [Trait("Category", "Faults")]
    public async Task Mutated_JSON_submits_never_get_a_5xx_and_only_accepted_ones_create_a_job()
    {
        var valid = """{"operation":"Simulate","target":"corpus","parameters":{"durationMs":0,"tasks":1,"outcome":"ok"},"notBefore":"2099-01-01T00:00:00Z"}"""u8.ToArray();
        await RunCorpusAsync(valid, 7, async body =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            return await _node.Http.PostAsync("/api/v1/jobs", content);
        });
    }

    [Fact]
    [Trait("Category", "Faults")]
    public async Task Mutated_HMC_job_requests_never_get_a_5xx_and_only_accepted_ones_create_a_job()
    {
        var hmc = new HmcTestClient(_node.Http);
        await hmc.LogOnAsync();
        var valid = Encoding.UTF8.GetBytes(HmcTestClient.JobRequest("Simulate", "Sample", ("durationMs", "0"), ("tasks", "1")));
        await RunCorpusAsync(valid, 11, async body =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/rest/api/uom/Sample/do/Simulate") { Content = new ByteArrayContent(body) };
            request.Headers.Add("X-API-Session", hmc.Session);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/vnd.ibm.powervm.web+xml; type=JobRequest");
            return await _node.Http.SendAsync(request);
        });
    }

    private async Task RunCorpusAsync(byte[] valid, int seed, Func<byte[], Task<HttpResponseMessage>> send)
    {
        var random = new Random(seed);
        var before = await _node.CountJobsAsync();
        var created = 0;
        var answers = new SortedDictionary<int, int>();
        for (var i = 0; i < CasesPerApi; i++)
        {
            var body = Mutate(valid, random);
            using var response = await send(body);
            var status = (int)response.StatusCode;
            answers[status] = answers.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"case {i} (seed {seed}) answered {status}: {Encoding.UTF8.GetString(body)}\n{await response.Content.ReadAsStringAsync()}");
            created += response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK ? 1 : 0;
        }

        output.WriteLine($"seed {seed}: {CasesPerApi} cases; answers {string.Join(", ", answers.Select(a => $"{a.Key}×{a.Value}"))}");
        Assert.Equal(before + created, await _node.CountJobsAsync());
    }

    // One to three changes at random places: a cut, a flipped byte, a stuffed token, or a piece spliced in again.
    private static byte[] Mutate(byte[] valid, Random random)
    {
        var body = new List<byte>(valid);
        for (var changes = random.Next(1, 4); changes > 0 && body.Count > 0; changes--)
        {
            var at = random.Next(body.Count);
            switch (random.Next(4))
            {
                case 0:
                    body.RemoveRange(at, body.Count - at);
                    break;
                case 1:
                    body[at] = (byte)random.Next(256);
                    break;
                case 2:
                    body.InsertRange(at, Stuffing[random.Next(Stuffing.Length)]);
                    break;
                default:
                    var length = random.Next(1, Math.Min(40, body.Count - at) + 1);
                    body.InsertRange(random.Next(body.Count), body.GetRange(at, length));
                    break;
            }
        }

        return [.. body];
    }
}
