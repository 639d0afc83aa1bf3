namespace Jobwright.Dashboard.Tests;

/// <summary>
/// Where the browser tests keep their screenshots for a person to look at: <c>TestResults/screenshots</c>
/// of this test project (ignored by git), or the directory JOBWRIGHT_SCREENSHOTS names (docs/images is made so).
/// </summary>
internal static class Screenshots
{
    public static string Directory { get; } = Create();

    public static string PathOf(string name) => Path.Combine(Directory, name);

    private static string Create()
    {
        var directory = Environment.GetEnvironmentVariable("JOBWRIGHT_SCREENSHOTS") ?? Path.Combine(ProjectDirectory(), "TestResults", "screenshots");
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    private static string ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (directory.GetFiles("*.csproj").Length > 0)
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
