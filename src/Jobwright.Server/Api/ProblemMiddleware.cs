using Jobwright.Engine;
using Jobwright.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Jobwright.Server.Api;

/// <summary>Turns refused requests into problem details; anything unexpected is logged and answered 500 without details.</summary>
internal sealed class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentType is null &&
                (Hmc.HmcPaths.Covers(context.Request.Path) || Redfish.RedfishPaths.Covers(context.Request.Path) || context.Request.Path.StartsWithSegments("/api")))
            {
                // Routing's 404 and 405, the host filter's 400, authentication's 401 and 403 come without a body.
                var status = context.Response.StatusCode;
                await Problems.Create(status, ProblemTypes.ForStatus(status), Hmc.HmcPaths.Reason(status), Hmc.HmcPaths.EmptyErrorMessage(context)).ExecuteAsync(context);
            }
        }
        catch (JobRequestException e) when (!context.Response.HasStarted)
        {
            Problems.SetRetryAfter(context.Response, e);
            await Problems.From(e).ExecuteAsync(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var result = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problems.Create(e.StatusCode, ProblemTypes.BodyTooLarge, "The request body is too large.", e.Message, [new("body", e.Message)])
                : Problems.Create(e.StatusCode, ProblemTypes.InvalidRequest, "The request is invalid.", e.Message);
            await result.ExecuteAsync(context);
        }
        catch (StoreUnavailableException e) when (!context.Response.HasStarted)
        {
            // Fail fast while the database is away: nothing was acknowledged, the client may try again.
            context.Response.Headers.RetryAfter = "1";
            await Problems.Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "The job store cannot be reached; try again shortly.", e.Message).ExecuteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            Log.UnexpectedError(logger, context.Request.Method, context.Request.Path, e);
            await Problems.Create(StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal error.", "The node failed to answer; the error is in its log.").ExecuteAsync(context);
        }
    }
}
