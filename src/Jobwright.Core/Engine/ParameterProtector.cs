using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Jobwright.Operations;

namespace Jobwright.Engine;

/// <summary>
/// Encrypts the values of sensitive parameters before they are stored (AES-GCM with a key kept in a
/// file beside the store, readable by the node's user only), and decrypts them for the handler.
/// </summary>
public sealed class ParameterProtector
{
    private const string Prefix = "enc:v1:";
    private const int KeyBytes = 32;
    private readonly byte[] _key;

    private const UnixFileMode OthersMayTouch =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>
    /// Uses the key in <paramref name="keyPath"/>, creating it on first use; with <paramref name="requirePrivate"/>,
    /// refuses a key file that users other than its owner may read or write.
    /// </summary>
    public ParameterProtector(string keyPath, bool requirePrivate = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        if (requirePrivate)
        {
            RefuseSharedKeyFile(keyPath);
        }

        try
        {
            _key = LoadOrCreate(keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new InvalidOperationException(
                $"The key file for sensitive parameters, {keyPath}, cannot be read or created ({e.Message}). Give a readable, writable path (JobwrightOptions.SecretKeyPath; jobwright serve --key-file), or restore the key from its backup.", e);
        }
    }

    /// <summary>
    /// A key for another purpose, derived from the node's key (HKDF-SHA256): every node of a cluster shares
    /// the key file, so each derives the same key, and the key file itself is never used twice.
    /// </summary>
    public byte[] DeriveKey(string purpose, int length = KeyBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, length, salt: [], info: Encoding.UTF8.GetBytes(purpose));
    }

    /// <summary>The parameters with every sensitive value encrypted.</summary>
    public JsonObject Protect(OperationDefinition operation, JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!operation.Parameters.Any(p => p.Sensitive))
        {
            return parameters;
        }

        var protectedParameters = parameters.DeepClone().AsObject();
        foreach (var parameter in operation.Parameters.Where(p => p.Sensitive))
        {
            if (protectedParameters[parameter.Name] is { } value)
            {
                protectedParameters[parameter.Name] = Encrypt(value.ToJsonString());
            }
        }

        return protectedParameters;
    }

    /// <summary>The parameters with every encrypted value decrypted.</summary>
    public JsonObject Unprotect(JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!parameters.Any(p => p.Value is JsonValue v && v.TryGetValue<string>(out var t) && t.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            return parameters;
        }

        var plain = parameters.DeepClone().AsObject();
        foreach (var (name, value) in parameters)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                plain[name] = JsonNode.Parse(Decrypt(text));
            }
        }

        return plain;
    }

    private string Encrypt(string plain)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var data = Encoding.UTF8.GetBytes(plain);
        var cipher = new byte[data.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(_key, tag.Length);
        aes.Encrypt(nonce, data, cipher, tag);
        return Prefix + Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    private string Decrypt(string text)
    {
        var all = Convert.FromBase64String(text[Prefix.Length..]);
        var nonce = all.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = all.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        var cipher = all.AsSpan(nonce.Length + tag.Length);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(_key, tag.Length);
        aes.Decrypt(nonce, cipher, tag, plain);
        return Encoding.UTF8.GetString(plain);
    }

    private static void RefuseSharedKeyFile(string keyPath)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(keyPath))
        {
            return;
        }

        var mode = File.GetUnixFileMode(keyPath);
        if ((mode & OthersMayTouch) != 0)
        {
            throw new InvalidOperationException(
                $"The key file for sensitive parameters, {keyPath}, may be read or written by other users (mode {Convert.ToString((int)mode, 8)}): " +
                $"make it private to the node's user (chmod 600 {keyPath}) and start again.");
        }
    }

    private static byte[] LoadOrCreate(string keyPath)
    {
        if (File.Exists(keyPath))
        {
            var stored = Convert.FromBase64String(File.ReadAllText(keyPath).Trim());
            // An empty or cut-short file would let the node start and fail every sensitive submit after.
            return stored.Length == KeyBytes
                ? stored
                : throw new FormatException($"it holds {stored.Length} bytes of key, not {KeyBytes}");
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(keyPath, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        return key;
    }
}
