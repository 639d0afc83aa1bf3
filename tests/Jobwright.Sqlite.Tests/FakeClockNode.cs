using Jobwright.Engine;
using Jobwright.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Sqlite.Tests;

/// <summary>
/// A library node on a SQLite file of its own and a <see cref="FakeTimeProvider"/>: its timers (the claim loop's
/// poll, the schedule firer's look) fire only when the test moves the clock. It can be stopped and started again
/// on the same file.
/// </summary>
internal sealed class FakeClockNode(DateTimeOffset start) : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(start);

    public ServiceProvider Services => _services ?? throw new InvalidOperationException("The node is not started.");

    private ServiceProvider? _services;

    /// <summary>Starts the node (stopping a running one first); <paramref name="configure"/> adds its operations.</summary>
    public async Task<JobService> StartAsync(Action<JobwrightBuilder> configure, Action<JobwrightOptions>? options = null, Action<IServiceCollection>? services = null)
    {
        Directory.CreateDirectory(_directory);
        await StopAsync();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services?.Invoke(collection);
        configure(collection.AddJobwright(o =>
        {
            o.UseSqlite(Path.Combine(_directory, "jobs.db"));
            options?.Invoke(o);
        }));
        _services = collection.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return _services.GetRequiredService<JobService>();
    }

    public async Task StopAsync()
    {
        if (_services is null)
        {
            return;
        }

        foreach (var hosted in _services.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        _services = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
