using System.Security.Claims;
using Jobwright.Server.Hmc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>Sessions expire after their idle time and end at log off.</summary>
public sealed class HmcSessionsTests
{
    private static readonly ClaimsPrincipal HmcRoot = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "hscroot")], "test"));

    [Theory]
    [InlineData(7200)]
    [InlineData(90)]
    public void A_session_lives_while_used_and_expires_after_the_idle_time_it_is_given(int idleSeconds)
    {
        var idle = TimeSpan.FromSeconds(idleSeconds);
        var time = new FakeTimeProvider();
        var sessions = new HmcSessions(time, Options.Create(new JobwrightServerOptions { HmcSessionIdleTimeout = idle }));
        var token = sessions.LogOn(HmcRoot);
        time.Advance(idle - TimeSpan.FromSeconds(1));
        Assert.Equal("hscroot", sessions.Use(token)?.Identity?.Name);
        time.Advance(idle - TimeSpan.FromSeconds(1));
        Assert.Equal("hscroot", sessions.Use(token)?.Identity?.Name);
        time.Advance(idle + TimeSpan.FromSeconds(1));
        Assert.Null(sessions.Use(token));
    }

    [Fact]
    public void The_default_idle_time_is_the_HMC_s_two_hours() =>
        Assert.Equal(TimeSpan.FromHours(2), new JobwrightServerOptions().HmcSessionIdleTimeout);

    [Fact]
    public void A_session_ends_at_log_off_and_an_unknown_one_is_refused()
    {
        var sessions = new HmcSessions(TimeProvider.System, Options.Create(new JobwrightServerOptions()));
        var token = sessions.LogOn(HmcRoot);
        Assert.True(sessions.LogOff(token));
        Assert.Null(sessions.Use(token));
        Assert.Null(sessions.Use("made-up"));
        Assert.Null(sessions.Use(null));
    }
}
