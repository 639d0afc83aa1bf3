using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobwright.Server.Tests.Hmc;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests;

/// <summary>
/// A node served over https (and http at once): with a certificate it makes for itself, keeps beside its store
/// and prints the fingerprint of, or with a given PEM pair. The JSON API, the dashboard and the HMC API all answer over it.
/// </summary>
public sealed partial class HttpsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-https-").FullName;

    [Fact]
    public async Task A_node_asked_for_https_makes_a_self_signed_certificate_once_prints_its_fingerprint_and_serves_every_API_over_it()
    {
        string fingerprint;
        await using (var node = await StartAsync())
        {
            fingerprint = Fingerprint(node);
            using var https = PinnedClient(HttpsUrl(node), fingerprint);
            await EveryApiAnswersAsync(https);
        }

        Assert.True(File.Exists(Path.Combine(_directory, "jobwright-tls.pfx")), "the certificate is kept beside the store");
        // Started again, the node serves the same certificate: a pinned fingerprint stays valid.
        await using var again = await StartAsync();
        Assert.Equal(fingerprint, Fingerprint(again));
        using var pinned = PinnedClient(HttpsUrl(again), fingerprint);
        Assert.Equal(HttpStatusCode.OK, (await pinned.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task A_node_given_a_PEM_certificate_and_key_serves_that_certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=given.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_directory, "given.crt");
        var keyPath = Path.Combine(_directory, "given.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        await using var node = await StartAsync("--tls-cert", certPath, "--tls-key", keyPath);
        var expected = Colons(certificate.GetCertHash(HashAlgorithmName.SHA256));
        Assert.Equal(expected, Fingerprint(node));
        Assert.Contains("(given)", node.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "jobwright-tls.pfx")), "a node given a certificate makes none");
        using var https = PinnedClient(HttpsUrl(node), expected);
        await EveryApiAnswersAsync(https);
    }

    [Fact]
    public async Task A_key_without_a_certificate_or_a_certificate_file_that_is_not_one_is_a_one_line_error()
    {
        var missing = await RunToEndAsync("--tls-key", Path.Combine(_directory, "nothing.key"));
        Assert.Contains("--tls-key needs --tls-cert", missing, StringComparison.Ordinal);
        var garbage = Path.Combine(_directory, "garbage.p12");
        await File.WriteAllTextAsync(garbage, "not a certificate");
        var wrong = await RunToEndAsync("--tls-cert", garbage);
        Assert.Contains($"{garbage} is not a PKCS#12 file", wrong, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", wrong, StringComparison.Ordinal);
    }

    private async Task<NodeProcess> StartAsync(params string[] extra) => await NodeProcess.StartAsync(
    [
        "serve", "--listen", "http://127.0.0.1:0", "--listen", "https://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "jobs.db"), "--samples", .. extra,
    ]);

    private async Task<string> RunToEndAsync(params string[] extra)
    {
        var (code, _, stderr) = await CliTests.RunAsync(["serve", "--listen", "https://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "bad.db"), .. extra]);
        Assert.NotEqual(0, code);
        return stderr;
    }

    private static async Task EveryApiAnswersAsync(HttpClient https)
    {
        using var submit = await https.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 1, tasks = 1 } });
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync("/")).StatusCode);
        var hmc = new HmcTestClient(https);
        await hmc.LogOnAsync();
        var id = (await submit.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), HmcTestClient.Value(await hmc.JobAsync(id), "JobID"));
    }

    // A client that trusts exactly one certificate, by its SHA-256 fingerprint, as a pinned self-signed certificate is trusted.
    private static HttpClient PinnedClient(string url, string fingerprint) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && Colons(certificate.GetCertHash(HashAlgorithmName.SHA256)) == fingerprint },
    })
    { BaseAddress = new Uri(url) };

    private static string Fingerprint(NodeProcess node) => FingerprintLine().Match(node.Output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no fingerprint in:\n" + node.Output);

    private static string HttpsUrl(NodeProcess node) => HttpsListen().Match(node.Output).Groups[1].Value;

    private static string Colons(byte[] hash) => string.Join(':', Convert.ToHexString(hash).Chunk(2).Select(c => new string(c)));

    [GeneratedRegex("SHA-256 fingerprint ([0-9A-F:]{95})")]
    private static partial Regex FingerprintLine();

    [GeneratedRegex(@"and (https://\S+)")]
    private static partial Regex HttpsListen();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
