using System.Text.Json.Nodes;
using Jobwright.Engine;
using Jobwright.Handlers;
using Jobwright.Hosting;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Sqlite;
using Jobwright.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobwright.Server.Tests;

/// <summary>The example of docs/library.md, run as written (the partition console is a fake of the handler's outside world).</summary>
public sealed class LibraryExampleTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_documented_library_example_runs_a_job_to_COMPLETED_OK()
    {
        Directory.CreateDirectory(_directory);
        var databasePath = Path.Combine(_directory, "jobwright.db");
        var console = new FakePartitionConsole();

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IPartitionConsole>(console);   // the handler's outside world
        builder.Services.AddJobwright(o => o.UseSqlite(databasePath))
            .AddOperation<PowerOnPartition>("PowerOn", group: "LogicalPartition", op => op with
            {
                TargetRequired = true,
                Parameters = [new("bootmode", ParameterType.String) { Default = JsonValue.Create("norm"), Enum = ["norm", "sms"] }],
                Timeout = TimeSpan.FromMinutes(30),
                WhenTargetBusy = TargetBusyPolicy.Wait(TimeSpan.FromMinutes(10)),
            });
        using var host = builder.Build();
        await host.StartAsync();

        var jobs = host.Services.GetRequiredService<JobService>();
        var submitted = await jobs.SubmitAsync(
            new JobSubmission { Operation = "PowerOn", Group = "LogicalPartition", Target = "lpar-3", Parameters = new() { ["bootmode"] = "sms" } },
            submitter: "example", CancellationToken.None);
        var done = await jobs.WaitForTerminalAsync(submitted.Job.JobId, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(JobStatus.CompletedOk, done!.Status);
        Assert.Equal("running", done.Results["PartitionState"]);
        Assert.Equal(["Validate partition state", "Activate"], done.Progress.CompletedTasks.Select(t => t.Name));
        Assert.Equal("sms", console.BootMode);

        var again = await jobs.SubmitAsync(new JobSubmission { Operation = "PowerOn", Target = "lpar-3" }, "example", CancellationToken.None);
        var refused = await jobs.WaitForTerminalAsync(again.Job.JobId, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(JobStatus.CompletedWithError, refused!.Status);
        Assert.Contains(refused.Messages, m => m.Code == "PRECONDITION_FAILED");
        await host.StopAsync();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public interface IPartitionConsole
{
    Task<bool> IsBusyAsync(string partition, CancellationToken cancellationToken);

    Task<string> StateAsync(string partition, CancellationToken cancellationToken);

    Task ValidateAsync(string partition, CancellationToken cancellationToken);

    Task ActivateAsync(string partition, string bootMode, Action<int> progress, CancellationToken cancellationToken);
}

public sealed class FakePartitionConsole : IPartitionConsole
{
    private readonly HashSet<string> _running = [];

    public string? BootMode { get; private set; }

    public Task<bool> IsBusyAsync(string partition, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<string> StateAsync(string partition, CancellationToken cancellationToken) =>
        Task.FromResult(_running.Contains(partition) ? "running" : "not activated");

    public Task ValidateAsync(string partition, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ActivateAsync(string partition, string bootMode, Action<int> progress, CancellationToken cancellationToken)
    {
        progress(50);
        BootMode = bootMode;
        _running.Add(partition);
        progress(100);
        return Task.CompletedTask;
    }
}

public sealed class PowerOnPartition(IPartitionConsole console) : IJobHandler
{
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var partition = context.Target!;
        if (await console.IsBusyAsync(partition, cancellationToken))
        {
            return JobOutcome.TargetBusy(TimeSpan.FromSeconds(30), $"{partition} is busy with other work");
        }

        if (await console.StateAsync(partition, cancellationToken) == "running")
        {
            return JobOutcome.PreconditionFailed($"{partition} is already running");
        }

        context.SetExpectedTaskCount(2);
        await context.RunTaskAsync("Validate partition state", (task, ct) => console.ValidateAsync(partition, ct), cancellationToken);
        await context.RunTaskAsync("Activate", async (task, ct) =>
        {
            await console.ActivateAsync(partition, context.Parameters.GetString("bootmode")!, p => task.ReportPercent(p), ct);
        }, cancellationToken);
        context.SetResult("PartitionState", "running");
        return JobOutcome.Completed();
    }
}
