using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Declared;

namespace Jobwright.Server.Tests.Declared;

/// <summary>Schedules declared in the operations file are created when the node starts, once; an invalid one stops the start naming it.</summary>
public sealed class DeclaredScheduleTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_declared_schedule_is_created_at_start_and_kept_once_across_restarts()
    {
        var file = DeclaredTestFiles.Write(_directory, "scheduled.yaml", """
            operations:
              - name: Noop
                group: Test
                steps:
                  - { name: Nothing, run: ["/bin/true"] }
            schedules:
              - name: nightly-noop
                operation: Noop
                group: Test
                cron: "0 2 * * *"
                timeZone: Europe/Berlin
                overlap: skip
            """);
        var database = Path.Combine(_directory, "jobs.db");
        for (var start = 0; start < 2; start++)
        {
            await using var node = await TestNode.StartAsync(settings: s => s with { OperationsFile = file, SqlitePath = database, Samples = false });
            var schedules = (await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/schedules"))!["schedules"]!.AsArray();
            var schedule = Assert.Single(schedules)!;
            Assert.Equal("nightly-noop", schedule["name"]!.GetValue<string>());
            Assert.Equal("Europe/Berlin", schedule["timeZone"]!.GetValue<string>());
            Assert.Equal("operations file scheduled.yaml", schedule["createdBy"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_invalid_declared_schedule_stops_the_start_naming_the_schedule_and_the_field()
    {
        var file = DeclaredTestFiles.Write(_directory, "bad-schedule.yaml", """
            operations:
              - name: Noop
                group: Test
                steps:
                  - { name: Nothing, run: ["/bin/true"] }
            schedules:
              - { name: broken, operation: Noop, group: Test, cron: "at noon" }
            """);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(settings: s => s with { OperationsFile = file, Samples = false }));
        Assert.Contains("schedule 'broken': field 'cron'", error.Message, StringComparison.Ordinal);

        var unknown = DeclaredTestFiles.Write(_directory, "unknown-field.yaml", """
            operations:
              - { name: Noop, group: Test, steps: [ { name: Nothing, run: ["/bin/true"] } ] }
            schedules:
              - { name: odd, operation: Noop, cron: "* * * * *", colour: red }
            """);
        var refused = Assert.Throws<DeclaredOperationsException>(() => DeclaredOperationsFile.LoadSchedules(unknown));
        Assert.Contains("schedule 'odd'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("colour", refused.Message, StringComparison.Ordinal);
    }
}
