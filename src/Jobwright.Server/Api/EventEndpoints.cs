using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Jobwright.Engine;
using Jobwright.Server.Security;
using Jobwright.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwright.Server.Api;

/// <summary>
/// Server-sent events: <c>job</c> events carry the whole record after each change; <c>deleted</c>
/// events name a deleted job; <c>heartbeat</c> events keep idle connections open.
/// </summary>
internal static class EventEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void MapEventEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/jobs/{id}/events", async (string id, HttpContext http, JobService jobs, CancellationToken ct) =>
        {
            if (!QueryParsing.TryJobId(id, out var jobId, out var problem))
            {
                await problem!.ExecuteAsync(http);
                return;
            }

            if (await jobs.GetAsync(jobId, ct) is not { } job || !JobwrightCaller.From(http).CanSee(job))
            {
                await Problems.JobNotFound(jobId).ExecuteAsync(http);
                return;
            }

            await WriteAsync(http, JobEventsAsync(jobs, jobId, ct), ct);
        }).RequireAuthorization(JobwrightPolicies.Reader).Produces(StatusCodes.Status200OK, contentType: "text/event-stream").Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapGet("/events", async (HttpContext http, JobService jobs, CancellationToken ct) =>
            await WriteAsync(http, AllEventsAsync(jobs, JobwrightCaller.From(http), ct), ct)).RequireAuthorization(JobwrightPolicies.Reader)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").Problems();
    }

    private static async Task WriteAsync(HttpContext http, IAsyncEnumerable<SseItem<string>> events, CancellationToken ct)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache,no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(ct);
        try
        {
            await SseFormatter.WriteAsync(events, http.Response.Body, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client closed the stream.
        }
    }

    private static async IAsyncEnumerable<SseItem<string>> JobEventsAsync(JobService jobs, long jobId, [EnumeratorCancellation] CancellationToken ct)
    {
        long lastVersion = -1;
        while (!ct.IsCancellationRequested)
        {
            var next = jobs.Changes.NextChangeAsync(jobId);
            var job = await jobs.GetAsync(jobId, ct);
            if (job is null)
            {
                jobs.Changes.Forget(jobId, next);
                yield return Deleted(jobId);
                yield break;
            }

            if (job.Version != lastVersion)
            {
                lastVersion = job.Version;
                yield return JobEvent(job);
            }

            if (job.Status.IsTerminal())
            {
                jobs.Changes.Forget(jobId, next);
                yield break;
            }

            if (!await WaitAsync(next, ct))
            {
                jobs.Changes.Forget(jobId, next);
                yield return new SseItem<string>("{}", "heartbeat");
            }
        }
    }

    // The changes of the jobs the caller may see; a deleted job is named only to a caller who could see every job.
    private static async IAsyncEnumerable<SseItem<string>> AllEventsAsync(JobService jobs, JobwrightCaller caller, [EnumeratorCancellation] CancellationToken ct)
    {
        // Changes are coalesced per job: a slow reader gets each job's latest state, never a backlog.
        var gate = new Lock();
        var dirty = new HashSet<long>();
        var signal = new SemaphoreSlim(0, 1);
        using var subscription = jobs.Changes.Subscribe(change =>
        {
            lock (gate)
            {
                if (dirty.Add(change.JobId) && dirty.Count == 1 && signal.CurrentCount == 0)
                {
                    signal.Release();
                }
            }
        });

        yield return new SseItem<string>("{}", "ready");
        while (!ct.IsCancellationRequested)
        {
            bool woken;
            try
            {
                woken = await signal.WaitAsync(Heartbeat, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (!woken)
            {
                yield return new SseItem<string>("{}", "heartbeat");
                continue;
            }

            long[] ids;
            lock (gate)
            {
                ids = [.. dirty.Order()];
                dirty.Clear();
            }

            foreach (var jobId in ids)
            {
                var job = await jobs.GetAsync(jobId, includeHistory: false, ct);
                if (job is null ? caller.SeesEverything : caller.CanSee(job))
                {
                    yield return job is null ? Deleted(jobId) : JobEvent(job);
                }
            }
        }
    }

    private static async Task<bool> WaitAsync(Task next, CancellationToken ct)
    {
        try
        {
            await next.WaitAsync(Heartbeat, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static SseItem<string> JobEvent(Model.JobRecord job) =>
        new(JsonSerializer.Serialize(ApiJson.Shown(job), ApiJson.Options), "job") { EventId = $"{job.JobId}:{job.Version}" };

    private static SseItem<string> Deleted(long jobId) => new(JsonSerializer.Serialize(new { jobId }, ApiJson.Options), "deleted");
}
