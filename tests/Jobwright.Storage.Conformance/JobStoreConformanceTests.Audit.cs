using Jobwright.Model;

namespace Jobwright.Storage.Conformance;

public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task The_audit_trail_keeps_entries_newest_first_filters_them_pages_them_and_purges_old_ones()
    {
        await using var f = await NewFixtureAsync();
        var audit = Assert.IsAssignableFrom<IAuditLog>(f.Store);
        var start = f.Time.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            await audit.AppendAsync(new AuditRecord
            {
                Time = f.Time.GetUtcNow(),
                Actor = i % 2 == 0 ? "olivia" : "hscroot",
                Source = "127.0.0.1",
                Action = i < 3 ? "submit" : "logon",
                Subject = $"job {i}",
                Outcome = i == 4 ? "refused" : "ok",
                Detail = i == 4 ? "wrong password" : null,
            }, None);
            f.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var all = await audit.ListAsync(new AuditQuery(), None);
        Assert.Equal(["job 4", "job 3", "job 2", "job 1", "job 0"], all.Select(r => r.Subject));
        Assert.Equal("wrong password", all[0].Detail);
        Assert.Null(all[1].Detail);
        Assert.Equal(start + TimeSpan.FromMinutes(4), all[0].Time);
        Assert.Equal(["job 4", "job 2", "job 0"], (await audit.ListAsync(new AuditQuery { Actor = "olivia" }, None)).Select(r => r.Subject));
        Assert.Equal(["job 4", "job 3"], (await audit.ListAsync(new AuditQuery { Action = "logon" }, None)).Select(r => r.Subject));
        Assert.Equal(["job 2", "job 1"], (await audit.ListAsync(new AuditQuery { From = start + TimeSpan.FromMinutes(1), To = start + TimeSpan.FromMinutes(3) }, None)).Select(r => r.Subject));
        var firstPage = await audit.ListAsync(new AuditQuery { Limit = 2 }, None);
        Assert.Equal(["job 2", "job 1"], (await audit.ListAsync(new AuditQuery { Limit = 2, BeforeId = firstPage[^1].Id }, None)).Select(r => r.Subject));

        Assert.Equal(2, await audit.PurgeAuditAsync(start + TimeSpan.FromMinutes(2), 100, None));
        Assert.Equal(["job 4", "job 3", "job 2"], (await audit.ListAsync(new AuditQuery(), None)).Select(r => r.Subject));
    }
}
