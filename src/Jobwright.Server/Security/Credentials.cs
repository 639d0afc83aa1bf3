using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Jobwright.Server.Security;

/// <summary>
/// Passwords are hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2 with
/// HMAC-SHA512, salted); API keys are 32 random bytes, of which only the SHA-256 is kept (a key is not
/// guessable, so a slow hash adds nothing).
/// </summary>
public static class Credentials
{
    public const string KeyPrefix = "jw_";

    private static readonly PasswordHasher<string> Hasher = new();

    public static string HashPassword(string user, string password) => Hasher.HashPassword(user, password);

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="hash"/> was made from.</summary>
    public static bool VerifyPassword(string user, string hash, string password) =>
        Hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>A new key: <c>jw_</c> and 43 characters of base64url.</summary>
    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string KeyHash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares two hashes in constant time.</summary>
    public static bool SameHash(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
