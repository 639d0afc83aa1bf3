using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Jobwright.Engine;
using System.Security.Claims;
using Jobwright.Model;
using Jobwright.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Hmc;

/// <summary>The HMC's job API (SPEC §5.2): logon, job templates, invoke, poll, cancel, delete — in the HMC's XML.</summary>
internal static class HmcEndpoints
{
    private const string SessionHeader = "X-API-Session";
    private const string CallerKey = "Jobwright.HmcCaller";

    public static void MapHmcEndpoints(this IEndpointRouteBuilder app, IOptions<JobwrightServerOptions> server)
    {
        app.MapPut("/rest/api/web/Logon", async (HttpContext http, HmcSessions sessions, IOptions<JobwrightSecurityOptions> security, CancellationToken ct) =>
        {
            var (document, problem) = await ReadXmlAsync(http.Request, server, ct);
            if (problem is not null)
            {
                return problem;
            }

            var root = document!.Root!;
            if (root.Name != HmcXml.Web + "LogonRequest")
            {
                return HmcResponses.Error(http.Request, 400, "Bad request.", $"The body must be a LogonRequest, not {root.Name.LocalName}.");
            }

            var user = root.Element(HmcXml.Web + "UserID")?.Value.Trim();
            var password = root.Element(HmcXml.Web + "Password")?.Value;
            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
            {
                return HmcResponses.Error(http.Request, 401, "Unauthorized.", "UserID and Password are both required.");
            }

            var principal = security.Value.Enabled
                ? http.RequestServices.GetRequiredService<PrincipalDirectory>().LogOn(user, password, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", "HmcLogon")
                : new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "HmcLogon"));
            var audit = http.RequestServices.GetRequiredService<AuditTrail>();
            await audit.RecordAsync(http, user, "logon", "HMC API", principal is null ? AuditTrail.Refused : AuditTrail.Ok, principal is null ? "unknown user, wrong password or too many failures" : null);
            if (principal is null)
            {
                // The same answer for an unknown user, a wrong password and a throttled one.
                return HmcResponses.Error(http.Request, 401, "Unauthorized.", "The UserID or Password is not right.");
            }

            var logon = HmcDocuments.LogonResponse(sessions.LogOn(principal));
            return Results.Text(logon.ToString(), HmcXml.TypedXml("LogonResponse"), System.Text.Encoding.UTF8, 200);
        }).AllowAnonymous();

        app.MapDelete("/rest/api/web/Logon", (HttpContext http, HmcSessions sessions) =>
            sessions.LogOff(http.Request.Headers[SessionHeader].ToString())
                ? Results.NoContent()
                : HmcResponses.Error(http.Request, 401, "Unauthorized.", "There is no such session (it ended, expired or the node restarted); log on again."))
            .AllowAnonymous();

        var uom = app.MapGroup("/rest/api/uom").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.RequestServices.GetRequiredService<IOptions<JobwrightSecurityOptions>>().Value.Enabled)
            {
                // Authentication already stood at the door (a session, a key, a token or Basic); the caller is http.User.
                http.Items[CallerKey] = JobwrightCaller.From(http);
                return await next(context);
            }

            var user = http.RequestServices.GetRequiredService<HmcSessions>().Use(http.Request.Headers[SessionHeader].FirstOrDefault());
            if (user is null)
            {
                // 401, not 403: the HMC's clients log on again only when told 401 (after an idle expiry or a node restart).
                return HmcResponses.Error(http.Request, 401, "Unauthorized.", "A valid X-API-Session header is required (this one is missing, unknown, expired or logged off): log on with PUT /rest/api/web/Logon.");
            }

            http.Items[CallerKey] = JobwrightCaller.Trusted with { Name = user.Identity?.Name ?? "anonymous" };
            return await next(context);
        });

        uom.MapGet("/jobs/{jobId}", async (string jobId, HttpRequest request, JobService jobs, CancellationToken ct) =>
        {
            if (!TryJobId(request, jobId, out var id, out var problem))
            {
                return problem!;
            }

            var job = await jobs.GetAsync(id, includeHistory: false, ct);
            return job is null || !Caller(request).CanSee(job)
                ? HmcResponses.Error(request, 404, "Not found.", $"There is no job {id}.")
                : HmcResponses.Document(request, 200, HmcDocuments.JobResponse(job, Caller(request).SeesStackTraces), JobLink(request, id));
        }).RequireAuthorization(JobwrightPolicies.Reader);

        foreach (var method in new[] { "POST", "PUT" })
        {
            uom.MapMethods("/jobs/{jobId}/cancel", [method], async (string jobId, HttpRequest request, JobService jobs, CancellationToken ct) =>
            {
                if (!TryJobId(request, jobId, out var id, out var problem))
                {
                    return problem!;
                }

                if (await jobs.GetAsync(id, includeHistory: false, ct) is not { } job || !Caller(request).CanCancel(job))
                {
                    return HmcResponses.Error(request, 404, "Not found.", $"There is no job {id}.");
                }

                var result = await Guard(request, () => jobs.CancelAsync(id, Caller(request).Name, ct));
                await Audit(request, "cancel", $"job {id}", result.Problem is null);
                return result.Problem ?? HmcResponses.Document(request, 200, HmcDocuments.JobResponse(result.Value!.Job!), JobLink(request, id));
            }).RequireAuthorization(JobwrightPolicies.Operator);
        }

        uom.MapDelete("/jobs/{jobId}", async (string jobId, HttpRequest request, JobService jobs, CancellationToken ct) =>
        {
            if (!TryJobId(request, jobId, out var id, out var problem))
            {
                return problem!;
            }

            if (await jobs.GetAsync(id, includeHistory: false, ct) is { } job && !Caller(request).CanSee(job))
            {
                return HmcResponses.Error(request, 404, "Not found.", $"There is no job {id}.");
            }

            var result = await Guard(request, async () =>
            {
                await jobs.DeleteAsync(id, ct);
                return true;
            });
            await Audit(request, "delete", $"job {id}", result.Problem is null);
            return result.Problem ?? Results.NoContent();
        }).RequireAuthorization(JobwrightPolicies.Admin);

        // Operations with a target, without one, and nested under a managed system.
        string[] patterns = ["/{group}/{target}/do/{operation}", "/{group}/do/{operation}", "/ManagedSystem/{system}/{group}/{target}/do/{operation}"];
        foreach (var pattern in patterns)
        {
            uom.MapGet(pattern, (HttpRequest request, string group, string operation, JobService jobs) =>
            {
                try
                {
                    var definition = jobs.FindOperation(operation, group);
                    // The HMC's templates carry no parameters (clients append theirs); ?parameters=all lists each with its default.
                    var withParameters = string.Equals(request.Query["parameters"], "all", StringComparison.Ordinal);
                    return HmcResponses.Document(request, 200, HmcDocuments.JobRequestTemplate(definition, withParameters), $"{Base(request)}{request.Path}");
                }
                catch (JobRequestException e)
                {
                    return Error(request, e);
                }
            }).RequireAuthorization(JobwrightPolicies.Reader);

            uom.MapPut(pattern, async (HttpRequest request, string group, string operation, JobService jobs, CancellationToken ct) =>
            {
                var target = request.RouteValues.TryGetValue("target", out var t) ? t as string : null;
                var (document, problem) = await ReadXmlAsync(request, server, ct);
                if (problem is not null)
                {
                    return problem;
                }

                var (jobRequest, error) = HmcJobRequest.Read(document!);
                if (jobRequest is null)
                {
                    return HmcResponses.Error(request, 400, "Bad request.", error!);
                }

                if (jobRequest.OperationName is { Length: > 0 } named && named != operation ||
                    jobRequest.GroupName is { Length: > 0 } grouped && grouped != group)
                {
                    return HmcResponses.Error(request, 400, "Bad request.",
                        $"The JobRequest names {jobRequest.GroupName}/{jobRequest.OperationName}, but it was sent to {group}/do/{operation}.");
                }

                var caller = Caller(request);
                if (!caller.CanSubmit(group, operation, target))
                {
                    await Audit(request, "submit", $"{group}/{operation} {target}".TrimEnd(), ok: false);
                    return HmcResponses.Error(request, 403, "Forbidden.", $"{group}/{target ?? operation} is outside the scope of {caller.Name} ({string.Join(", ", caller.Scope.Patterns)}).");
                }

                var submitted = await Guard(request, () => jobs.SubmitAsync(
                    new JobSubmission { Operation = operation, Group = group, Target = target, Parameters = jobRequest.Parameters },
                    caller.Name,
                    ct));
                if (submitted.Value is { } done)
                {
                    await Audit(request, "submit", $"job {done.Job.JobId}", ok: true);
                }

                return submitted.Problem
                    ?? HmcResponses.Document(request, 200, HmcDocuments.JobResponse(submitted.Value!.Job), JobLink(request, submitted.Value.Job.JobId));
            }).RequireAuthorization(JobwrightPolicies.Operator);
        }
    }

    private static async Task<(T? Value, IResult? Problem)> Guard<T>(HttpRequest request, Func<Task<T>> action)
    {
        try
        {
            return (await action(), null);
        }
        catch (JobRequestException e)
        {
            return (default, Error(request, e));
        }
    }

    private static IResult Error(HttpRequest request, JobRequestException e)
    {
        var (status, reason) = e.Kind switch
        {
            JobProblemKind.UnknownOperation or JobProblemKind.JobNotFound => (404, "Not found."),
            JobProblemKind.Conflict => (409, "Conflict."),
            JobProblemKind.QueueFull => (503, "Service unavailable."),
            _ => (400, "Bad request."),
        };
        Api.Problems.SetRetryAfter(request.HttpContext.Response, e);
        var fields = e.Errors.Count == 0 ? string.Empty : " " + string.Join(" ", e.Errors.Select(f => $"[{f.Field}] {f.Message}"));
        return HmcResponses.Error(request, status, reason, e.Message + fields);
    }

    private static async Task<(XDocument? Document, IResult? Problem)> ReadXmlAsync(HttpRequest request, IOptions<JobwrightServerOptions> server, CancellationToken ct)
    {
        if (request.ContentType is { Length: > 0 } type && !IsXml(type))
        {
            return (null, HmcResponses.Error(request, 415, "Unsupported media type.",
                $"The body must be XML (Content-Type {HmcXml.XmlContentType}; type=JobRequest, or application/xml), not {type}."));
        }

        var limit = server.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, HmcResponses.Error(request, 413, "Request entity too large.", $"The body is larger than {limit} bytes."));
        }

        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, HmcResponses.Error(request, 413, "Request entity too large.", $"The body is larger than {limit} bytes."));
        }
        catch (IOException e) when (!ct.IsCancellationRequested)
        {
            return (null, HmcResponses.Error(request, 400, "Bad request.", $"The body's framing is invalid ({e.Message}); send a Content-Length or well-formed chunks."));
        }

        try
        {
            return (SafeXml.Parse(buffer.ToArray()), null);
        }
        catch (XmlException e)
        {
            return (null, HmcResponses.Error(request, 400, "Bad request.", "The body is not acceptable XML: " + e.Message));
        }
    }

    private static bool IsXml(string contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.SubType.Value?.EndsWith("xml", StringComparison.OrdinalIgnoreCase) ?? false);

    private static bool TryJobId(HttpRequest request, string text, out long jobId, out IResult? problem)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out jobId) && jobId > 0)
        {
            problem = null;
            return true;
        }

        problem = HmcResponses.Error(request, 400, "Bad request.", $"'{text}' is not a JobID; a JobID is a positive whole number.");
        return false;
    }

    private static Task Audit(HttpRequest request, string action, string subject, bool ok) =>
        request.HttpContext.RequestServices.GetRequiredService<AuditTrail>()
            .RecordAsync(request.HttpContext, Caller(request).Name, action, subject, ok ? AuditTrail.Ok : AuditTrail.Refused, "HMC API");

    private static JobwrightCaller Caller(HttpRequest request) => request.HttpContext.Items[CallerKey] as JobwrightCaller ?? JobwrightCaller.From(request.HttpContext);

    private static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    private static string JobLink(HttpRequest request, long jobId) => $"{Base(request)}/rest/api/uom/jobs/{jobId}";
}
