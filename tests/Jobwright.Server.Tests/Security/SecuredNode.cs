using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Jobwright.Server.Security;
using Jobwright.TestSupport;
using Microsoft.IdentityModel.Tokens;

namespace Jobwright.Server.Tests.Security;

/// <summary>
/// A node with authentication on: a users file, a keys file and JWTs signed by a key of the test's own,
/// with one principal of each kind the role matrix needs.
/// </summary>
public sealed class SecuredNode : IAsyncDisposable
{
    public const string Audience = "jobwright-tests";
    public const string OperatorPassword = "op-password-1";
    public const string AdminPassword = "admin-password-1";

    private readonly ECDsa _signingKey;

    private SecuredNode(LoopbackNode node, string directory, ECDsa signingKey, string readerKey, string outOfScopeKey)
    {
        Node = node;
        Directory = directory;
        _signingKey = signingKey;
        ReaderKey = readerKey;
        OutOfScopeKey = outOfScopeKey;
    }

    public LoopbackNode Node { get; }

    public string Directory { get; }

    /// <summary>An API key of a reader of every job.</summary>
    public string ReaderKey { get; }

    /// <summary>An API key of an operator limited to LogicalPartition/*.</summary>
    public string OutOfScopeKey { get; }

    public string UsersFile => Path.Combine(Directory, "users.json");

    public static async Task<SecuredNode> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("jobwright-secured-").FullName;
        var users = new PrincipalFile<UserEntry>(Path.Combine(directory, "users.json"), "users");
        users.Put("olivia", new UserEntry { Role = "operator", Scopes = ["Sample/*"], PasswordHash = Credentials.HashPassword("olivia", OperatorPassword) });
        users.Put("hscroot", new UserEntry { Role = "hmcsuperadmin", PasswordHash = Credentials.HashPassword("hscroot", AdminPassword) });
        var keys = new PrincipalFile<ApiKeyEntry>(Path.Combine(directory, "keys.json"), "keys");
        var readerKey = AddKey(keys, "dashboard-reader", "reader", []);
        var outOfScopeKey = AddKey(keys, "lpar-automation", "operator", ["LogicalPartition/*"]);
        var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Path.Combine(directory, "jwt.pem");
        await File.WriteAllTextAsync(publicKey, signingKey.ExportSubjectPublicKeyInfoPem());
        var node = await LoopbackNode.StartAsync(s => s with
        {
            Security = new JobwrightSecurityOptions { UsersFile = users.Path, KeysFile = keys.Path, JwtSigningKeyFile = publicKey, JwtAudience = Audience },
        });
        return new SecuredNode(node, directory, signingKey, readerKey, outOfScopeKey);
    }

    /// <summary>A JWT signed with the node's trusted key.</summary>
    public string Token(string subject, string role, string audience = Audience, TimeSpan? lifetime = null, ECDsa? signedWith = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        var handler = new JwtSecurityTokenHandler();
        var token = handler.CreateJwtSecurityToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("roles", role)]),
            Audience = audience,
            Issuer = "https://idp.test",
            NotBefore = expires < now ? expires - TimeSpan.FromMinutes(10) : now - TimeSpan.FromMinutes(1),
            IssuedAt = expires < now ? expires - TimeSpan.FromMinutes(10) : now - TimeSpan.FromMinutes(1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(signedWith ?? _signingKey), SecurityAlgorithms.EcdsaSha256),
        });
        return handler.WriteToken(token);
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static AuthenticationHeaderValue Bearer(string credential) => new("Bearer", credential);

    private static string AddKey(PrincipalFile<ApiKeyEntry> keys, string name, string role, string[] scopes)
    {
        var key = Credentials.NewKey();
        keys.Put(name, new ApiKeyEntry { Role = role, Scopes = scopes, Sha256 = Credentials.KeyHash(key), Prefix = key[..7], Created = DateTimeOffset.UtcNow });
        return key;
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        _signingKey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
