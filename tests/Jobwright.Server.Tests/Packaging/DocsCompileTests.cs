using System.Text.RegularExpressions;

namespace Jobwright.Server.Tests.Packaging;

/// <summary>
/// Docs that cannot rot: every C# block of the README and of docs/*.md is a whole Program.cs that builds in a
/// new console project against the packages (not project references), with the packages its usings name;
/// the library page's first block, which says it runs, runs and prints what the page says.
/// </summary>
public sealed partial class DocsCompileTests(PackedLibraries packages) : IClassFixture<PackedLibraries>
{
    /// <summary>Every C# block of the documentation: its page and its number on the page.</summary>
    public static TheoryData<string, int> Blocks()
    {
        var blocks = new TheoryData<string, int>();
        foreach (var page in Pages())
        {
            var count = CSharpBlock().Matches(File.ReadAllText(Path.Combine(PackedLibraries.RepositoryRoot, page))).Count;
            for (var i = 0; i < count; i++)
            {
                blocks.Add(page, i);
            }
        }

        return blocks;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    [Trait("Category", "Packages")]
    public async Task Every_CSharp_block_of_the_docs_builds_from_the_packages(string page, int index)
    {
        var program = CSharpBlock().Matches(await File.ReadAllTextAsync(Path.Combine(PackedLibraries.RepositoryRoot, page)))[index].Groups[1].Value;
        await NewAppAsync($"{Path.GetFileNameWithoutExtension(page)}-{index}", program);
    }

    [Fact]
    [Trait("Category", "Packages")]
    public async Task The_first_block_of_library_md_runs_and_prints_what_the_page_says()
    {
        var page = await File.ReadAllTextAsync(Path.Combine(PackedLibraries.RepositoryRoot, "docs", "library.md"));
        var app = await NewAppAsync("library-run", CSharpBlock().Match(page).Groups[1].Value);
        var output = await PackedLibraries.RunAsync(app, "dotnet", "run", "--no-build");
        var printed = PlainBlock().Match(page[page.IndexOf("It prints:", StringComparison.Ordinal)..]).Groups[1].Value;
        foreach (var line in printed.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(line.Trim(), output, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Category", "Packages")]
    public async Task The_client_example_needs_the_client_package_alone()
    {
        var page = await File.ReadAllTextAsync(Path.Combine(PackedLibraries.RepositoryRoot, "docs", "client.md"));
        var app = await NewAppAsync("client-alone", CSharpBlock().Match(page).Groups[1].Value);
        var assets = await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains($"Jobwright.Client/{packages.Version}", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("Jobwright.Core/", assets, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Pages() =>
        new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(PackedLibraries.RepositoryRoot, "docs"), "*.md").Order().Select(f => Path.Combine("docs", Path.GetFileName(f))));

    // dotnet new console; the packages the program's usings name (Jobwright's from the local feed, the others
    // from NuGet), as the pages' own `dotnet add package` lines do; the block as Program.cs; a build.
    private async Task<string> NewAppAsync(string name, string program)
    {
        var app = Path.Combine(packages.Directory, name);
        await PackedLibraries.RunAsync(packages.Directory, "dotnet", "new", "console", "-o", name);
        var usings = UsingLine().Matches(program).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var library in PackedLibraries.Libraries.Where(l => usings.Contains($"Jobwright.{l}")))
        {
            await PackedLibraries.RunAsync(app, "dotnet", "add", "package", $"Jobwright.{library}", "--version", packages.Version, "--source", packages.Feed);
        }

        if (usings.Contains("Microsoft.Extensions.Hosting"))
        {
            await PackedLibraries.RunAsync(app, "dotnet", "add", "package", "Microsoft.Extensions.Hosting");
        }

        if (usings.Any(u => u.StartsWith("OpenTelemetry", StringComparison.Ordinal)))
        {
            await PackedLibraries.RunAsync(app, "dotnet", "add", "package", "OpenTelemetry.Extensions.Hosting");
        }

        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), program);
        await PackedLibraries.RunAsync(app, "dotnet", "build");
        return app;
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex("```\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PlainBlock();

    [GeneratedRegex(@"^using ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
