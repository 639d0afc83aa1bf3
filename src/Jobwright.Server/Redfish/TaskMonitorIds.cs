using System.Buffers.Binary;
using System.Security.Cryptography;
using Jobwright.Engine;

namespace Jobwright.Server.Redfish;

/// <summary>
/// The opaque id of a job's task monitor: the job id and eight zero bytes, encrypted as one AES block with a
/// key derived from the node's key file. Every node of a cluster (which shares that file) reads every
/// monitor, across restarts, with nothing stored; an id not made by the key decrypts to non-zero check
/// bytes (a guess succeeds once in 2^64), and ids do not reveal or follow the job ids.
/// </summary>
internal sealed class TaskMonitorIds
{
    private const int Block = 16;
    private readonly Aes _aes;

    public TaskMonitorIds(ParameterProtector keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _aes = Aes.Create();
        _aes.Key = keys.DeriveKey("jobwright redfish task monitor v1");
    }

    public string For(long jobId)
    {
        Span<byte> plain = stackalloc byte[Block];
        plain.Clear();
        BinaryPrimitives.WriteInt64BigEndian(plain, jobId);
        Span<byte> cipher = stackalloc byte[Block];
        _aes.EncryptEcb(plain, cipher, PaddingMode.None);
        return Base64UrlEncode(cipher);
    }

    /// <summary>The job a monitor id names, or null when the id was not made by this cluster's key.</summary>
    public long? JobOf(string monitorId)
    {
        Span<byte> cipher = stackalloc byte[Block];
        if (monitorId.Length != 22 || !System.Buffers.Text.Base64Url.IsValid(monitorId) ||
            System.Buffers.Text.Base64Url.DecodeFromChars(monitorId, cipher) != Block)
        {
            return null;
        }

        Span<byte> plain = stackalloc byte[Block];
        _aes.DecryptEcb(cipher, plain, PaddingMode.None);
        if (plain[8..].IndexOfAnyExcept((byte)0) >= 0)
        {
            return null;
        }

        var jobId = BinaryPrimitives.ReadInt64BigEndian(plain);
        return jobId > 0 ? jobId : null;
    }

    private static string Base64UrlEncode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
