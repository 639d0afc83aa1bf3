using System.Text.Json;
using Jobwright.Status;

namespace Jobwright.Core.Tests;

public sealed class JobStatusTests
{
    private static readonly string[] HmcNames =
    [
        "NOT_STARTED", "RUNNING", "COMPLETED_OK", "COMPLETED_WITH_WARNINGS", "COMPLETED_WITH_ERROR", "FAILED_TO_START",
        "FAILED_BEFORE_COMPLETION", "FAILED_BEFORE_COMPLETION_RETRY", "CANCELED_BEFORE_START", "CANCELED_WHILE_RUNNING",
    ];

    [Fact]
    public void There_are_exactly_the_ten_HMC_statuses_with_their_exact_wire_names()
    {
        Assert.Equal(HmcNames, JobStatuses.All.Select(s => s.ToWire()));
    }

    [Fact]
    public void Json_uses_the_wire_names_both_ways()
    {
        foreach (var status in JobStatuses.All)
        {
            var json = JsonSerializer.Serialize(status);
            Assert.Equal($"\"{status.ToWire()}\"", json);
            Assert.Equal(status, JsonSerializer.Deserialize<JobStatus>(json));
        }
    }

    [Fact]
    public void Parsing_is_exact_and_case_sensitive()
    {
        Assert.True(JobStatuses.TryParse("COMPLETED_OK", out var ok));
        Assert.Equal(JobStatus.CompletedOk, ok);
        Assert.False(JobStatuses.TryParse("completed_ok", out _));
        Assert.False(JobStatuses.TryParse("CompletedOk", out _));
        Assert.False(JobStatuses.TryParse(null, out _));
    }

    [Fact]
    public void Only_NOT_STARTED_and_RUNNING_are_not_terminal()
    {
        Assert.Equal([JobStatus.NotStarted, JobStatus.Running], JobStatuses.All.Where(s => !s.IsTerminal()));
        Assert.Equal(8, JobStatuses.Terminal.Count);
    }

    [Fact]
    public void The_transition_table_is_exactly_the_one_of_the_spec()
    {
        var legal = new HashSet<(string, string)>
        {
            ("NOT_STARTED", "RUNNING"), ("NOT_STARTED", "CANCELED_BEFORE_START"), ("NOT_STARTED", "FAILED_TO_START"),
            ("NOT_STARTED", "FAILED_BEFORE_COMPLETION_RETRY"),
            ("RUNNING", "COMPLETED_OK"), ("RUNNING", "COMPLETED_WITH_WARNINGS"), ("RUNNING", "COMPLETED_WITH_ERROR"),
            ("RUNNING", "FAILED_BEFORE_COMPLETION"), ("RUNNING", "FAILED_BEFORE_COMPLETION_RETRY"), ("RUNNING", "CANCELED_WHILE_RUNNING"),
        };
        foreach (var from in JobStatuses.All)
        {
            foreach (var to in JobStatuses.All)
            {
                Assert.Equal(legal.Contains((from.ToWire(), to.ToWire())), JobStatuses.CanTransition(from, to));
            }
        }
    }

    [Fact]
    public void A_terminal_status_has_no_next_status()
    {
        Assert.All(JobStatuses.Terminal, s => Assert.Empty(JobStatuses.NextStatuses(s)));
    }
}
