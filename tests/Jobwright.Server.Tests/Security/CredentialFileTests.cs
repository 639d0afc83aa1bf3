using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests.Security;

/// <summary>What `jobwright users add` and `jobwright keys add` write: hashes only, owner-only files, refusals that name the fix.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-credentials-").FullName;

    [Fact]
    public async Task Users_add_reads_the_password_from_standard_input_and_writes_only_a_PBKDF2_hash()
    {
        var file = Path.Combine(_directory, "users.json");
        var (code, _, stderr) = await CliTests.RunWithInputAsync("correct horse battery\n", "users", "add", "olivia", "--role", "hmcoperator", "--scope", "LogicalPartition/lpar-*", "--file", file);
        Assert.True(code == 0, stderr);
        var text = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain("correct horse battery", text, StringComparison.Ordinal);
        var user = JsonNode.Parse(text)!["users"]!["olivia"]!;
        Assert.Equal("operator", user["role"]!.GetValue<string>());
        Assert.Equal(["LogicalPartition/lpar-*"], user["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.True(Jobwright.Server.Security.Credentials.VerifyPassword("olivia", user["passwordHash"]!.GetValue<string>(), "correct horse battery"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Keys_add_prints_the_key_once_and_keeps_only_its_hash()
    {
        var file = Path.Combine(_directory, "keys.json");
        var (code, stdout, _) = await CliTests.RunAsync("keys", "add", "ci", "--role", "operator", "--scope", "Sample/*", "--expires", "90d", "--file", file);
        Assert.Equal(0, code);
        var key = stdout.Trim();
        Assert.StartsWith("jw_", key, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.Equal(Jobwright.Server.Security.Credentials.KeyHash(key), JsonNode.Parse(text)!["keys"]!["ci"]!["sha256"]!.GetValue<string>());

        var (revoked, _, _) = await CliTests.RunAsync("keys", "revoke", "ci", "--file", file);
        Assert.Equal(0, revoked);
        Assert.Null(JsonNode.Parse(await File.ReadAllTextAsync(file))!["keys"]!["ci"]);
    }

    [Theory]
    [InlineData("--role", "root", "is not a role")]
    [InlineData("--scope", "lpar-*", "is not a scope")]
    public async Task A_bad_role_or_scope_is_refused_naming_it(string option, string value, string message)
    {
        string[] args = option == "--role"
            ? ["keys", "add", "k", "--role", value, "--file", Path.Combine(_directory, "k.json")]
            : ["keys", "add", "k", "--role", "reader", "--scope", value, "--file", Path.Combine(_directory, "k.json")];
        var (code, _, stderr) = await CliTests.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "k.json")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
