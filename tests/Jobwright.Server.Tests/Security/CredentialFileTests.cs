using System.Text.Json.Nodes;
using Jobwright.Server.Security;

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
    [InlineData("users")]
    [InlineData("keys")]
    public async Task Serve_with_a_missing_or_damaged_users_or_keys_file_refuses_to_start_naming_it(string kind)
    {
        var file = Path.Combine(_directory, kind + ".json");
        var store = "sqlite:" + Path.Combine(_directory, kind + ".db");
        var missing = await CliTests.RunAsync("serve", "--listen", "http://127.0.0.1:0", "--store", store, "--" + kind, file);
        Assert.Equal(1, missing.Code);
        Assert.Contains($"--{kind} {file}: there is no such file", missing.Stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, "{ \"" + kind + "\": { \"x\": ");
        var damaged = await CliTests.RunAsync("serve", "--listen", "http://127.0.0.1:0", "--store", store, "--" + kind, file);
        Assert.Equal(1, damaged.Code);
        Assert.Contains($"{file} is not a {kind} file", damaged.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", damaged.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_damaged_while_the_node_runs_keeps_its_last_good_entries()
    {
        var file = new PrincipalFile<UserEntry>(Path.Combine(_directory, "live.json"), "users");
        file.Put("olivia", new UserEntry { Role = "operator", PasswordHash = Credentials.HashPassword("olivia", "pw-123456") });
        Assert.True(file.Read().ContainsKey("olivia"));
        File.WriteAllText(file.Path, "{ broken");
        Assert.True(file.Read().ContainsKey("olivia"));
        Assert.Throws<InvalidOperationException>(() => new PrincipalFile<UserEntry>(file.Path, "users").Read());
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("two words")]
    public async Task A_name_with_a_colon_or_a_space_is_refused(string name)
    {
        var (code, _, stderr) = await CliTests.RunWithInputAsync("a-long-password\n", "users", "add", name, "--role", "reader", "--file", Path.Combine(_directory, "n.json"));
        Assert.Equal(2, code);
        Assert.Contains("is not a name", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "n.json")));
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
