namespace Jobwright.Server.Tests.Security;

/// <summary>`jobwright login` keeps a user's session in an owner-only credentials file; later commands use it; `logout` ends it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LoginCommandTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-login-cli-").FullName;
    private SecuredNode _secured = null!;

    public async Task InitializeAsync() => _secured = await SecuredNode.StartAsync();

    public async Task DisposeAsync()
    {
        await _secured.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Login_keeps_the_session_owner_only_the_next_commands_use_it_and_logout_ends_it()
    {
        var file = Path.Combine(_directory, "credentials.json");
        var environment = new Dictionary<string, string?> { ["JOBWRIGHT_CREDENTIALS"] = file, ["JOBWRIGHT_SERVER"] = _secured.Node.Url };

        var wrong = await CliTests.RunWithEnvironmentAsync(environment, ["login", "olivia"], "not-her-password\n");
        Assert.NotEqual(0, wrong.Code);
        Assert.False(File.Exists(file));

        var login = await CliTests.RunWithEnvironmentAsync(environment, ["login", "olivia"], SecuredNode.OperatorPassword + "\n");
        Assert.True(login.Code == 0, login.Stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.DoesNotContain(SecuredNode.OperatorPassword, await File.ReadAllTextAsync(file), StringComparison.Ordinal);

        var submit = await CliTests.RunWithEnvironmentAsync(environment, ["submit", "Simulate", "-p", "durationMs=1", "--json"], null);
        Assert.True(submit.Code == 0, submit.Stderr);
        Assert.Contains("\"submitter\":\"olivia\"", submit.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await CliTests.RunWithEnvironmentAsync(environment, ["logout"], null)).Code);
        var after = await CliTests.RunWithEnvironmentAsync(environment, ["list"], null);
        Assert.NotEqual(0, after.Code);
        Assert.Contains("401", after.Stderr, StringComparison.Ordinal);
    }
}
