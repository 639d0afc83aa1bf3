using System.Security.Cryptography;

namespace Jobwright.Storage;

/// <summary>The attempt tokens stores stamp on claims (the fencing token of every later write of the job).</summary>
public static class AttemptTokens
{
    /// <summary>
    /// A new positive token. Random, so that a stale attempt (a node that lost the job) can never match a
    /// new one; the jobs of one claim share a token, which tells this claim of a job from any other.
    /// </summary>
    public static long New()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return (long)(BitConverter.ToUInt64(bytes) >> 1) | 1;
    }
}
