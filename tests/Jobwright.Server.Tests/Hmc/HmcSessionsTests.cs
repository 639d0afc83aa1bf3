using Jobwright.Server.Hmc;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>Sessions expire after their idle time and end at log off.</summary>
public sealed class HmcSessionsTests
{
    [Fact]
    public void A_session_lives_while_used_and_expires_after_the_idle_time()
    {
        var time = new FakeTimeProvider();
        var sessions = new HmcSessions(time);
        var token = sessions.LogOn("hscroot");
        time.Advance(HmcSessions.IdleTimeout - TimeSpan.FromMinutes(1));
        Assert.Equal("hscroot", sessions.Use(token));
        time.Advance(HmcSessions.IdleTimeout - TimeSpan.FromMinutes(1));
        Assert.Equal("hscroot", sessions.Use(token));
        time.Advance(HmcSessions.IdleTimeout + TimeSpan.FromSeconds(1));
        Assert.Null(sessions.Use(token));
    }

    [Fact]
    public void A_session_ends_at_log_off_and_an_unknown_one_is_refused()
    {
        var sessions = new HmcSessions(TimeProvider.System);
        var token = sessions.LogOn("hscroot");
        Assert.True(sessions.LogOff(token));
        Assert.Null(sessions.Use(token));
        Assert.Null(sessions.Use("made-up"));
        Assert.Null(sessions.Use(null));
    }
}
