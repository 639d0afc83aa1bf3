using System.Globalization;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests.Packaging;

/// <summary>
/// The libraries a user installs, packed from this build into a local feed, once for the test class, with a
/// version of their own (so that NuGet's cache never serves a package of an earlier run).
/// </summary>
public sealed class PackedLibraries : IAsyncLifetime
{
    public static readonly string[] Libraries = ["Contracts", "Core", "Sqlite", "PostgreSql", "Server", "Client"];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("jobwright-packages-").FullName;

    public string Feed => Path.Combine(Directory, "artifacts");

    public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Jobwright.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException("the repository is not above the test's directory");
        }
    }

    public async Task InitializeAsync()
    {
        foreach (var library in Libraries)
        {
            // The test project's build built these already (Debug): packed as they are.
            await RunAsync(RepositoryRoot, "dotnet", "pack", Path.Combine("src", $"Jobwright.{library}"), "-c", "Debug", "--no-build", "-o", Feed, $"-p:PackageVersion={Version}");
        }
    }

    // The test's own runner settings must not leak into the fresh app's build.
    private static readonly Dictionary<string, string?> CleanBuild = new()
    {
        ["MSBuildExtensionsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
        ["MSBuildSDKsPath"] = null,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>Runs a program and returns its output; a non-zero exit fails the test with the output.</summary>
    public static async Task<string> RunAsync(string directory, string program, params string[] arguments)
    {
        var (code, stdout, stderr) = await ProgramRun.RunAsync(program, arguments, directory, CleanBuild, timeout: TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"{program} {string.Join(' ', arguments)} in {directory} exited {code}:\n{stdout}{stderr}");
        return stdout + stderr;
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
