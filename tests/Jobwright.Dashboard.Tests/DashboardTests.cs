using Jobwright.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jobwright.Dashboard.Tests;

/// <summary>The dashboard in a real headless Chromium against a real node.</summary>
[Collection(nameof(BrowserFixture))]
public sealed class DashboardTests(BrowserFixture browser) : IAsyncLifetime
{
    private LoopbackNode _node = null!;
    private IPage _page = null!;
    private readonly List<string> _consoleErrors = [];

    public async Task InitializeAsync()
    {
        _node = await LoopbackNode.StartAsync(s => s with { Workers = 8, NodeName = "dashboard-node", ShutdownGracePeriod = TimeSpan.FromSeconds(1) });
        _page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Add(message.Text);
            }
        };
        _page.SetDefaultTimeout(15_000);
    }

    public async Task DisposeAsync()
    {
        await _page.CloseAsync();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task The_job_list_shows_a_submitted_job_and_updates_without_reload()
    {
        var first = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        await _page.GotoAsync($"{_node.Url}/jobs");
        await Assertions.Expect(_page.Locator($"tr[data-job='{first}']")).ToContainTextAsync("NOT_STARTED");
        await Assertions.Expect(_page.Locator($"tr[data-job='{first}']")).ToContainTextAsync("scheduled for");

        var second = await _node.SubmitIdAsync(new { operation = "Simulate", target = "live-row", parameters = new { durationMs = 10 } });
        await Assertions.Expect(_page.Locator($"tr[data-job='{second}']")).ToContainTextAsync("COMPLETED_OK");
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_job_list_filters_by_status()
    {
        var scheduled = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var done = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 10 } });
        await _node.WaitUntilAsync(done, j => j["status"]!.GetValue<string>() == "COMPLETED_OK");
        await _page.GotoAsync($"{_node.Url}/jobs");
        await _page.SelectOptionAsync("select[name=status]", "COMPLETED_OK");
        await _page.ClickAsync("#filters button[type=submit]");
        await Assertions.Expect(_page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status=COMPLETED_OK"));
        await Assertions.Expect(_page.Locator($"tr[data-job='{done}']")).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator($"tr[data-job='{scheduled}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_waiting_job_s_detail_says_no_tasks_yet_and_why_and_a_running_task_shows_RUNNING_in_colour_with_its_percent_by_its_bar()
    {
        var waiting = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        await _page.GotoAsync($"{_node.Url}/jobs/{waiting}");
        await Assertions.Expect(_page.Locator("#no-tasks")).ToContainTextAsync("No tasks yet — scheduled for");
        await Assertions.Expect(_page.Locator("#tasks")).ToHaveCountAsync(0);

        // Ten steps of 3 s: the first percent comes after 3 s, the job still runs for the checks.
        var running = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 30_000, tasks = 1 } });
        await _page.GotoAsync($"{_node.Url}/jobs/{running}");
        var current = _page.Locator("#current-task");
        await Assertions.Expect(current.Locator(".percent")).ToContainTextAsync("%", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        await Assertions.Expect(current.Locator(".status.status-RUNNING")).ToHaveTextAsync("RUNNING");
        // The percent and the bar share the last column, under its header.
        await Assertions.Expect(current.Locator("td").Nth(3).Locator("[role=progressbar]")).ToHaveCountAsync(1);
        Assert.NotEqual("rgb(0, 0, 0)", await current.Locator(".status").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        var directory = Screenshots.Directory;
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "job-running.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_overview_chart_has_a_numbered_y_axis_and_swatches_and_the_live_nodes_show_without_scrolling_at_1400_by_900()
    {
        for (var i = 0; i < 3; i++)
        {
            await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 1, tasks = 1 } });
        }

        await _page.SetViewportSizeAsync(1400, 900);
        await _page.GotoAsync($"{_node.Url}/");
        await Assertions.Expect(_page.Locator("#nodes")).ToContainTextAsync("dashboard-node");
        var ticks = await _page.Locator("#charts svg text.y-tick").AllTextContentsAsync();
        Assert.Contains("0", ticks);
        Assert.True(ticks.Count >= 2 && ticks.All(t => int.TryParse(t, out _)), $"y-axis: {string.Join(", ", ticks)}");
        // One swatch for the submitted bars and one for each outcome.
        await Assertions.Expect(_page.Locator("#charts .legend .swatch")).ToHaveCountAsync(9);
        var axisSize = await _page.Locator("#charts svg text.axis").First.EvaluateAsync<double>("e => e.getBoundingClientRect().height");
        var legendSize = await _page.Locator("#charts .legend span").First.EvaluateAsync<double>("e => e.getBoundingClientRect().height");
        Assert.InRange(axisSize, legendSize * 0.6, legendSize * 1.6);
        await Assertions.Expect(_page.Locator("#nodes table")).ToBeInViewportAsync(new LocatorAssertionsToBeInViewportOptions { Ratio = 1 });
        var directory = Screenshots.Directory;
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "overview-1400x900.png") });
        Assert.Empty(_consoleErrors);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(1400)]
    public async Task The_job_list_keeps_headers_and_statuses_on_one_line_and_wraps_only_the_reason(int width)
    {
        var holder = await _node.SubmitIdAsync(new { operation = "Simulate", target = "lpar-with-a-rather-long-name-17", parameters = new { durationMs = 60_000, tasks = 1 } });
        await _node.WaitUntilAsync(holder, j => j["status"]!.GetValue<string>() == "RUNNING");
        await _node.SubmitIdAsync(new { operation = "Simulate", target = "lpar-with-a-rather-long-name-17", parameters = new { durationMs = 10 } });
        var busy = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 1, outcome = "busy" } });
        await _node.WaitUntilAsync(busy, j => j["status"]!.GetValue<string>() == "FAILED_BEFORE_COMPLETION_RETRY");

        await _page.SetViewportSizeAsync(width, 900);
        await _page.GotoAsync($"{_node.Url}/jobs");
        await Assertions.Expect(_page.Locator("#job-list tbody tr")).ToHaveCountAsync(3);
        const string Lines = "e => { const r = document.createRange(); r.selectNodeContents(e); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }";
        foreach (var cell in await _page.Locator("#job-list th, #job-list .status").AllAsync())
        {
            Assert.True(await cell.EvaluateAsync<int>(Lines) == 1, $"'{await cell.TextContentAsync()}' is broken over lines at {width} px");
        }

        // The waiting job's reason is there, in the column that wraps.
        var reason = _page.Locator("#job-list td.reason", new PageLocatorOptions { HasText = "is held by job" });
        await Assertions.Expect(reason).ToHaveCountAsync(1);
        Assert.Equal("normal", await reason.EvaluateAsync<string>("e => getComputedStyle(e).whiteSpace"));
        var directory = Screenshots.Directory;
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"job-list-{width}.png") });
    }

    [Fact]
    public async Task The_detail_page_updates_live_as_the_tasks_finish()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 3000, tasks = 3, failTasks = "2" } });
        await _page.GotoAsync($"{_node.Url}/jobs/{id}");
        await Assertions.Expect(_page.Locator("#tasks tbody tr[data-task-status]")).ToHaveCountAsync(1);
        await Assertions.Expect(_page.Locator("#tasks tbody tr[data-task-status]")).ToHaveCountAsync(2);
        await Assertions.Expect(_page.Locator("#tasks tbody tr[data-task-status='FAILED']")).ToContainTextAsync("Task 2 of 3");
        await Assertions.Expect(_page.Locator("#job .status").First).ToHaveTextAsync("COMPLETED_WITH_WARNINGS");
        await Assertions.Expect(_page.Locator("#tasks tbody tr[data-task-status]")).ToHaveCountAsync(3);
        await Assertions.Expect(_page.Locator("#delete")).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#results")).ToContainTextAsync("failed tasks: Task 2 of 3");
        await Assertions.Expect(_page.Locator("#job")).Not.ToContainTextAsync("[object");
        await Assertions.Expect(_page.Locator("#cancel")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Cancel_from_the_page_ends_the_job_CANCELED_WHILE_RUNNING()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 60000 } });
        await _node.WaitUntilAsync(id, j => j["status"]!.GetValue<string>() == "RUNNING");
        await _page.GotoAsync($"{_node.Url}/jobs/{id}");
        _page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await _page.ClickAsync("#cancel");
        await Assertions.Expect(_page.Locator("#job .status").First).ToHaveTextAsync("CANCELED_WHILE_RUNNING");
        Assert.Equal("CANCELED_WHILE_RUNNING", (await _node.GetAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_partial_job_needs_attention_until_it_is_acknowledged_and_a_rerun_from_its_page_opens_the_linked_copy()
    {
        var partial = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 2, durationMs = 10, failTasks = "2" } });
        var failed = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 10, outcome = "rerun" } });
        await _node.WaitUntilAsync(partial, j => j["status"]!.GetValue<string>() == "COMPLETED_WITH_WARNINGS");
        await _node.WaitUntilAsync(failed, j => j["status"]!.GetValue<string>() == "COMPLETED_WITH_ERROR");

        await _page.GotoAsync($"{_node.Url}/attention");
        await Assertions.Expect(_page.Locator($"#attention tr[data-job='{partial}']")).ToContainTextAsync("Task 2 of 2 (FAILED");
        await Assertions.Expect(_page.Locator($"#attention tr[data-job='{failed}']")).ToBeVisibleAsync();
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "needs-attention.png") });

        // Acknowledge by hand, with a note: the job keeps its status and leaves the list.
        _page.Dialog += async (_, dialog) => await (dialog.Type == "prompt" ? dialog.AcceptAsync("mapping moved by hand") : dialog.AcceptAsync());
        await _page.GotoAsync($"{_node.Url}/jobs/{partial}");
        await _page.ClickAsync("#acknowledge");
        await Assertions.Expect(_page.Locator("#resolution")).ToContainTextAsync("Resolved: acknowledged by hand");
        await Assertions.Expect(_page.Locator("#resolution")).ToContainTextAsync("mapping moved by hand");
        await Assertions.Expect(_page.Locator("#acknowledge")).ToHaveCountAsync(0);
        Assert.Equal("COMPLETED_WITH_WARNINGS", (await _node.GetAsync(partial))["status"]!.GetValue<string>());

        // Rerun: the page of the copy opens, linked back.
        await _page.GotoAsync($"{_node.Url}/jobs/{failed}");
        await _page.ClickAsync("#rerun");
        await Assertions.Expect(_page.Locator("#job")).ToContainTextAsync($"job #{failed}");
        Assert.NotEqual($"{_node.Url}/jobs/{failed}", _page.Url);
        var copy = long.Parse(_page.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(failed, (await _node.GetAsync(copy))["rerunOf"]!.GetValue<long>());

        await _page.GotoAsync($"{_node.Url}/attention");
        await Assertions.Expect(_page.Locator($"#attention tr[data-job='{partial}']")).ToHaveCountAsync(0);
        await Assertions.Expect(_page.Locator($"#attention tr[data-job='{failed}']")).ToHaveCountAsync(0);
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task Complete_from_a_partial_job_s_page_opens_the_job_that_runs_the_failed_task()
    {
        var partial = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 2, durationMs = 10, failTasks = "2" } });
        await _node.WaitUntilAsync(partial, j => j["status"]!.GetValue<string>() == "COMPLETED_WITH_WARNINGS");
        _page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await _page.GotoAsync($"{_node.Url}/jobs/{partial}");
        await Assertions.Expect(_page.Locator("#revert")).ToBeVisibleAsync();
        await _page.ClickAsync("#complete");
        await Assertions.Expect(_page.Locator("#job")).ToContainTextAsync($"job #{partial}");
        var completer = long.Parse(_page.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        // Its parameters are the same, so the task fails again: what matters here is that only that task ran.
        await _node.WaitUntilAsync(completer, j => j["status"]!.GetValue<string>() is not ("NOT_STARTED" or "RUNNING"));
        await Assertions.Expect(_page.Locator("#tasks tr[data-task-status='SKIPPED']")).ToHaveCountAsync(1);
        await Assertions.Expect(_page.Locator("#tasks")).ToContainTextAsync($"done by job {partial}");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "completed-by-a-linked-job.png") });
        await _page.GotoAsync($"{_node.Url}/jobs/{partial}");
        await Assertions.Expect(_page.Locator("#resolution")).ToContainTextAsync($"Resolved: completed by job #{completer}");
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_bulk_bar_cancels_every_job_the_filters_match_after_counting_them()
    {
        var target = "bulk-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 30; i++)
        {
            await _node.SubmitIdAsync(new { operation = "Simulate", target, notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        }

        var untouched = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        string? asked = null;
        _page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await _page.GotoAsync($"{_node.Url}/jobs?status=NOT_STARTED&target={target}");
        await _page.ClickAsync("#bulk [data-bulk='cancel']");
        await Assertions.Expect(_page.Locator("#bulk-result")).ToHaveTextAsync("30 matched: 30 done, 0 skipped");
        Assert.Equal("cancel 30 matching jobs?", asked);
        var counts = (await _node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!["counts"]!;
        Assert.Equal(30, counts["CANCELED_BEFORE_START"]!.GetValue<long>());
        Assert.Equal("NOT_STARTED", (await _node.GetAsync(untouched))["status"]!.GetValue<string>());
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_schedules_page_shows_next_runs_and_last_runs_and_a_schedule_s_page_its_jobs()
    {
        using var created = await _node.Http.PostAsJsonAsync("/api/v1/schedules", new { name = "dash-tick", operation = "Simulate", cron = "* * * * * *", parameters = new { tasks = 1, durationMs = 1 }, overlap = "allow" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["scheduleId"]!.GetValue<long>();
        await _page.GotoAsync($"{_node.Url}/schedules");
        var row = _page.Locator($"#schedules tr[data-schedule='{id}']");
        await Assertions.Expect(row).ToContainTextAsync("* * * * * * (UTC)");
        await Assertions.Expect(row.Locator(".last-runs a").First).ToBeVisibleAsync();
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "schedules.png") });
        await row.Locator("a").First.ClickAsync();
        await Assertions.Expect(_page.Locator("h1")).ToHaveTextAsync($"Schedule #{id}");
        await Assertions.Expect(_page.Locator(".last-runs .status").First).ToBeVisibleAsync();
        using (var deleted = await _node.Http.DeleteAsync($"/api/v1/schedules/{id}"))
        {
            deleted.EnsureSuccessStatusCode();
        }

        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task A_job_held_by_a_paused_target_shows_a_paused_badge()
    {
        using (var paused = await _node.Http.PostAsync("/api/v1/targets/Sample/lpar-held/pause", null))
        {
            paused.EnsureSuccessStatusCode();
        }

        var id = await _node.SubmitIdAsync(new { operation = "Simulate", target = "lpar-held" });
        await _page.GotoAsync($"{_node.Url}/jobs/{id}");
        await Assertions.Expect(_page.Locator("#paused")).ToHaveTextAsync("target paused");
        await Assertions.Expect(_page.Locator("#reason")).ToContainTextAsync("TARGET_PAUSED: target 'Sample/lpar-held' is paused");
    }

    [Fact]
    public async Task Markup_in_a_target_or_parameter_shows_as_text_and_runs_nothing()
    {
        const string Evil = "<img src=x onerror=\"window.__pwned=1\">";
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", target = Evil, parameters = new { failTasks = "", outcome = "ok", durationMs = 10 }, idempotencyKey = Evil });
        var migrate = await _node.SubmitIdAsync(new { operation = "Migrate", target = "lpar-x", parameters = new { targetSystem = "sys-b", durationMs = 10 } });
        _ = migrate;
        await _page.GotoAsync($"{_node.Url}/jobs/{id}");
        await Assertions.Expect(_page.Locator("#target")).ToHaveTextAsync(Evil);
        await _page.GotoAsync($"{_node.Url}/jobs");
        await Assertions.Expect(_page.Locator($"tr[data-job='{id}']")).ToContainTextAsync(Evil);
        Assert.Equal(0, await _page.Locator("img").CountAsync());
        Assert.Null(await _page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
    }

    [Fact]
    public async Task The_overview_counts_match_the_API()
    {
        await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var done = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 10, failTasks = "1,2,3" } });
        await _node.WaitUntilAsync(done, j => j["status"]!.GetValue<string>() != "NOT_STARTED" && j["status"]!.GetValue<string>() != "RUNNING");
        await _page.GotoAsync(_node.Url + "/");
        var stats = (await _node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!["counts"]!.AsObject();
        foreach (var (status, count) in stats)
        {
            await Assertions.Expect(_page.Locator($"#counts [data-status='{status}'] .n")).ToHaveTextAsync(count!.ToString());
        }

        await Assertions.Expect(_page.Locator("#waiting")).ToContainTextAsync("SCHEDULED");
        // Waiting by reason is the census /api/v1/stats (and /metrics) gives, drawn as it goes.
        var census = (await _node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!["waiting"]!.AsArray();
        Assert.NotEmpty(census);
        foreach (var reason in census)
        {
            await Assertions.Expect(_page.Locator($"#waiting-by-reason tr[data-reason='{reason!["reason"]}'] .n")).ToHaveTextAsync(reason["jobs"]!.ToString());
        }

        await Assertions.Expect(_page.Locator("#waiting-by-reason svg rect").First).ToBeAttachedAsync();
        await Assertions.Expect(_page.Locator("#nodes")).ToContainTextAsync("dashboard-node");
        await Assertions.Expect(_page.Locator("#charts svg rect").First).ToBeAttachedAsync();
    }

    [Fact]
    public async Task The_page_works_at_phone_width_and_by_keyboard()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        await _page.SetViewportSizeAsync(390, 844);
        await _page.GotoAsync(_node.Url + "/");
        await _page.FocusAsync("#search-id");
        await _page.Keyboard.TypeAsync($"{id}");
        await _page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(_page).ToHaveURLAsync($"{_node.Url}/jobs/{id}");
        await Assertions.Expect(_page.Locator("#reason")).ToContainTextAsync("SCHEDULED");
        var overflow = await _page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow);
    }

    [Fact]
    public async Task Pages_carry_a_CSP_without_unsafe_inline_and_cross_site_changes_are_refused()
    {
        var response = await _node.Http.GetAsync("/jobs");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);

        var id = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{id}/cancel");
        forged.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await _node.Http.SendAsync(forged)).StatusCode);
        Assert.Equal("NOT_STARTED", (await _node.GetAsync(id))["status"]!.GetValue<string>());
    }
}
