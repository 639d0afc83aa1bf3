using System.Text.RegularExpressions;

namespace Jobwright.Server.Tests.Packaging;

/// <summary>
/// A newcomer's path, from the packages: the first C# block of docs/library.md and of docs/client.md,
/// pasted as the Program.cs of a new console project after the page's own <c>dotnet add package</c> lines,
/// builds against the packages (not project references); the library's, which says it runs, runs and prints
/// what the page says.
/// </summary>
public sealed partial class DocsCompileTests(PackedLibraries packages) : IClassFixture<PackedLibraries>
{
    [Fact]
    [Trait("Category", "Packages")]
    public async Task The_first_block_of_library_md_builds_from_the_packages_and_prints_what_the_page_says()
    {
        var page = await File.ReadAllTextAsync(Path.Combine(PackedLibraries.RepositoryRoot, "docs", "library.md"));
        var app = await NewAppAsync("LibraryExample", FirstBlock(page, "csharp"), "Jobwright.Sqlite", "Microsoft.Extensions.Hosting");
        var output = await PackedLibraries.RunAsync(app, "dotnet", "run", "--no-build");
        foreach (var line in FirstBlock(page[page.IndexOf("It prints:", StringComparison.Ordinal)..], string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(line.Trim(), output, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Category", "Packages")]
    public async Task The_first_block_of_client_md_builds_from_the_client_package_alone()
    {
        var page = await File.ReadAllTextAsync(Path.Combine(PackedLibraries.RepositoryRoot, "docs", "client.md"));
        var app = await NewAppAsync("ClientExample", FirstBlock(page, "csharp"), "Jobwright.Client");
        var assets = await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains($"Jobwright.Client/{packages.Version}", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("Jobwright.Core/", assets, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Packages")]
    public async Task A_web_app_on_the_Server_and_PostgreSql_packages_builds()
    {
        const string Program = """
            using Jobwright.Hosting;
            using Jobwright.PostgreSql;
            using Jobwright.Server;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddJobwright(o => o.UsePostgres("Host=127.0.0.1;Database=jobs;Username=jobwright"));
            builder.Services.AddJobwrightServer();
            builder.Services.AddJobwrightSecurity(o => o.KeysFile = "keys.json");
            var app = builder.Build();
            app.MapJobwright();
            Console.WriteLine(app.Environment.ApplicationName);
            """;
        var app = await NewAppAsync("WebExample", Program, "Jobwright.Server", "Jobwright.PostgreSql");
        Assert.True(File.Exists(Path.Combine(app, "bin", "Debug", "net10.0", "Jobwright.Server.dll")));
    }

    // dotnet new console, the page's packages (the Jobwright ones from the local feed, the others from NuGet), the block as Program.cs, a build.
    private async Task<string> NewAppAsync(string name, string program, params string[] packageIds)
    {
        var app = Path.Combine(packages.Directory, name);
        await PackedLibraries.RunAsync(packages.Directory, "dotnet", "new", "console", "-o", name);
        foreach (var id in packageIds)
        {
            string[] version = id.StartsWith("Jobwright.", StringComparison.Ordinal) ? ["--version", packages.Version, "--source", packages.Feed] : [];
            await PackedLibraries.RunAsync(app, "dotnet", ["add", "package", id, .. version]);
        }

        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), program);
        await PackedLibraries.RunAsync(app, "dotnet", "build");
        return app;
    }

    private static string FirstBlock(string page, string language)
    {
        var match = Regex.Match(page, $"```{language}\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"the page has no ```{language} block");
        return match.Groups[1].Value;
    }
}
