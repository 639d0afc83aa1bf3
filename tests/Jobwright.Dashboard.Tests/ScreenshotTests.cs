using Jobwright.TestSupport;
using Microsoft.Playwright;

namespace Jobwright.Dashboard.Tests;

/// <summary>
/// Renders the overview and a job's detail with realistic jobs and saves them as PNG files: into
/// TestResults/screenshots of this project, or into JOBWRIGHT_SCREENSHOTS (docs/images is made this way).
/// </summary>
[Collection(nameof(BrowserFixture))]
public sealed class ScreenshotTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_overview_and_a_job_detail_render_to_screenshots()
    {
        await using var node = await LoopbackNode.StartAsync(s => s with { Workers = 8, NodeName = "dashboard-node", ShutdownGracePeriod = TimeSpan.FromSeconds(1) });
        var migrate = await node.SubmitIdAsync(new { operation = "Migrate", target = "lpar-3", parameters = new { targetSystem = "sys-b", durationMs = 600, failureRate = 1 } });
        await node.SubmitIdAsync(new { operation = "PowerOn", group = "LogicalPartition", target = "lpar-7", parameters = new { durationMs = 200 } });
        await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 100, outcome = "precondition" } });
        await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 100, outcome = "busy" } });
        var running = await node.SubmitIdAsync(new { operation = "PowerOff", target = "lpar-9", parameters = new { durationMs = 60000 } });
        await node.WaitUntilAsync(running, j => j["status"]!.GetValue<string>() == "RUNNING");
        await node.SubmitIdAsync(new { operation = "PowerOn", group = "LogicalPartition", target = "lpar-9" });
        await node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(2) });
        await node.WaitUntilAsync(migrate, j => j["status"]!.GetValue<string>() == "COMPLETED_WITH_WARNINGS");

        var directory = Screenshots.Directory;
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(node.Url + "/");
        await Assertions.Expect(page.Locator("#nodes")).ToContainTextAsync("dashboard-node");
        await Assertions.Expect(page.Locator("#waiting")).ToContainTextAsync("TARGET_BUSY");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "overview.png"), FullPage = true });
        await page.GotoAsync($"{node.Url}/jobs/{migrate}");
        await Assertions.Expect(page.Locator("#tasks tbody tr[data-task-status]")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("MANUAL_INTERVENTION");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "job-detail.png"), FullPage = true });
        await page.CloseAsync();

        Assert.True(new FileInfo(Path.Combine(directory, "overview.png")).Length > 10_000);
        Assert.True(new FileInfo(Path.Combine(directory, "job-detail.png")).Length > 10_000);
    }
}
