using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jobwright.Node;

/// <summary>
/// The certificate a node serves https with: the one given (a PEM certificate and key, or a PKCS#12 file),
/// or one it made for itself on its first https start and keeps beside its store, so that its fingerprint
/// stays the same across restarts and a client can pin it.
/// </summary>
public sealed class NodeCertificate
{
    /// <summary>The environment variable that holds the password of a PKCS#12 file (kept off the command line).</summary>
    public const string PasswordVariable = "JOBWRIGHT_TLS_PASSWORD";

    private NodeCertificate(X509Certificate2 certificate, string path, bool generated)
    {
        Certificate = certificate;
        Path = path;
        Generated = generated;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The file it was read from (or written to).</summary>
    public string Path { get; }

    /// <summary>Whether the node made it for itself (now or on an earlier start).</summary>
    public bool Generated { get; }

    /// <summary>The SHA-256 fingerprint, as browsers and <c>openssl x509 -fingerprint -sha256</c> write it.</summary>
    public string Sha256Fingerprint => Convert.ToHexString(Certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);

    /// <summary>Reads the given certificate, or the generated one at <paramref name="generatedPath"/>, making it first if it is not there.</summary>
    public static NodeCertificate Resolve(string? certificatePath, string? keyPath, string generatedPath, IEnumerable<string> hostNames, TimeProvider time)
    {
        if (certificatePath is null)
        {
            if (keyPath is not null)
            {
                throw new InvalidOperationException("--tls-key needs --tls-cert: give the certificate (PEM) beside its key.");
            }

            return File.Exists(generatedPath)
                ? new NodeCertificate(ReadPkcs12(generatedPath, password: null), generatedPath, generated: true)
                : new NodeCertificate(Generate(generatedPath, hostNames, time), generatedPath, generated: true);
        }

        if (!File.Exists(certificatePath))
        {
            throw new InvalidOperationException($"--tls-cert {certificatePath}: there is no such file.");
        }

        if (keyPath is null)
        {
            return new NodeCertificate(ReadPkcs12(certificatePath, Environment.GetEnvironmentVariable(PasswordVariable)), certificatePath, generated: false);
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Re-read as PKCS#12: a key loaded from PEM is ephemeral, which TLS on some platforms refuses.
            return new NodeCertificate(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null), certificatePath, generated: false);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException)
        {
            throw new InvalidOperationException($"--tls-cert {certificatePath} with --tls-key {keyPath}: not a PEM certificate and its private key ({e.Message}).", e);
        }
    }

    private static X509Certificate2 ReadPkcs12(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{path} holds no private key: give a PKCS#12 file with its key, or a PEM certificate with --tls-key.");
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"{path} is not a PKCS#12 file this node can open ({e.Message}). A PEM certificate needs --tls-key; a PKCS#12 file's password goes in {PasswordVariable}.", e);
        }
    }

    private static X509Certificate2 Generate(string path, IEnumerable<string> hostNames, TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Jobwright node " + Dns.GetHostName(), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames.Append("localhost").Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
        var pkcs12 = created.Export(X509ContentType.Pkcs12);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // Only the node's user may read the private key.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(path, options))
        {
            file.Write(pkcs12);
        }

        return X509CertificateLoader.LoadPkcs12(pkcs12, null);
    }
}
