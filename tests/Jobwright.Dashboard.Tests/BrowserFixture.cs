using Microsoft.Playwright;

namespace Jobwright.Dashboard.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright. The test command installs the chromium
/// package; its path can be changed with JOBWRIGHT_CHROMIUM.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("JOBWRIGHT_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not at {executable}: install Debian's chromium package (the test command does), or set JOBWRIGHT_CHROMIUM.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(nameof(BrowserFixture))]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
}
