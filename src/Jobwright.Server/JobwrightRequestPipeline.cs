using Jobwright.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Jobwright.Server;

/// <summary>
/// Puts the problem answers (refused requests as problem details, no stack trace on a 500) and the
/// cross-site guard in front of the host's pipeline, so that <c>AddJobwrightServer</c> and <c>MapJobwright</c>
/// are all a host calls.
/// </summary>
internal sealed class JobwrightRequestPipeline : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ProblemMiddleware>();
        app.UseMiddleware<CrossSiteRequestGuard>();
        next(app);
    };
}
