using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Client;

/// <summary>
/// A typed client of a Jobwright node's JSON API. Refused requests throw
/// <see cref="JobwrightApiException"/> with the node's problem details; a node that cannot be
/// reached throws <see cref="HttpRequestException"/>. Answers of 503 are retried after their
/// <c>Retry-After</c>.
/// </summary>
public sealed class JobwrightClient
{
    private static readonly JsonSerializerOptions Json = JobwrightJson.Options;
    private readonly HttpClient _http;
    private readonly JobwrightClientOptions _options;

    /// <summary>Uses <paramref name="http"/>, whose <c>BaseAddress</c> is the node, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public JobwrightClient(HttpClient http, JobwrightClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the node's URL, e.g. http://127.0.0.1:5080.", nameof(http));
        }

        _http = http;
        _options = options ?? new JobwrightClientOptions();
    }

    /// <summary>Submits a job; returns it as stored (NOT_STARTED), or the earlier job of the same idempotency key.</summary>
    public async Task<JobRecord> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var body = new JsonObject { ["operation"] = submission.Operation };
        AddIfSet(body, "group", submission.Group);
        AddIfSet(body, "target", submission.Target);
        AddIfSet(body, "idempotencyKey", submission.IdempotencyKey);
        if (submission.Parameters is { } parameters)
        {
            body["parameters"] = parameters.DeepClone();
        }

        if (submission.Priority is { } priority)
        {
            body["priority"] = priority;
        }

        if (submission.NotBefore is { } notBefore)
        {
            body["notBefore"] = notBefore.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        return await SendAsync<JobRecord>(() => new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(body) }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One job with its history.</summary>
    public Task<JobRecord> GetAsync(long jobId, CancellationToken cancellationToken = default) =>
        SendAsync<JobRecord>(() => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{jobId}"), cancellationToken);

    /// <summary>Long-polls until the job changes after <paramref name="version"/> or <paramref name="wait"/> passes (at most 5 minutes).</summary>
    public Task<JobRecord> GetChangedAsync(long jobId, long version, TimeSpan wait, CancellationToken cancellationToken = default) =>
        SendAsync<JobRecord>(
            () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{jobId}?wait={(long)wait.TotalMilliseconds}ms&version={version}"),
            cancellationToken);

    /// <summary>Waits (by long-polls) until the job has ended; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<JobRecord> WaitAsync(long jobId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = timeout is { } t ? _options.Time.GetUtcNow() + t : DateTimeOffset.MaxValue;
        var job = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        while (!job.Status.IsTerminal())
        {
            var remaining = deadline - _options.Time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Job {jobId} is still {job.Status.ToWire()} after {DurationText.Format(timeout ?? TimeSpan.Zero)}.");
            }

            var wait = remaining < _options.LongPoll ? remaining : _options.LongPoll;
            job = await GetChangedAsync(jobId, job.Version, wait, cancellationToken).ConfigureAwait(false);
        }

        return job;
    }

    /// <summary>Requests a cancel; returns the job after the request.</summary>
    public Task<JobRecord> CancelAsync(long jobId, CancellationToken cancellationToken = default) =>
        SendAsync<JobRecord>(() => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{jobId}/cancel"), cancellationToken);

    /// <summary>Submits a linked copy of an ended job (<c>rerunOf</c> / <c>rerunBy</c>), with the <paramref name="parameters"/> given changed; returns the copy.</summary>
    public Task<JobRecord> RerunAsync(long jobId, JsonObject? parameters = null, DateTimeOffset? notBefore = null, string? note = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (parameters is not null)
        {
            body["parameters"] = parameters.DeepClone();
        }

        AddIfSet(body, "notBefore", notBefore?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        AddIfSet(body, "note", note);
        return SendAsync<JobRecord>(() => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{jobId}/rerun") { Content = JsonContent.Create(body) }, cancellationToken);
    }

    /// <summary>Completes a COMPLETED_WITH_WARNINGS job: a linked job (<c>resumes</c>) runs the tasks that did not end OK; returns it.</summary>
    public Task<JobRecord> CompleteAsync(long jobId, JsonObject? parameters = null, string? note = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (parameters is not null)
        {
            body["parameters"] = parameters.DeepClone();
        }

        AddIfSet(body, "note", note);
        return SendAsync<JobRecord>(() => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{jobId}/complete") { Content = JsonContent.Create(body) }, cancellationToken);
    }

    /// <summary>Reverts an ended job: a linked job (<c>reverts</c>) undoes the tasks that ended OK, last first; returns it.</summary>
    public Task<JobRecord> RevertAsync(long jobId, string? note = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        AddIfSet(body, "note", note);
        return SendAsync<JobRecord>(() => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{jobId}/revert") { Content = JsonContent.Create(body) }, cancellationToken);
    }

    /// <summary>Marks an ended job resolved by hand, with a note; returns the job with its resolution.</summary>
    public Task<JobRecord> AcknowledgeAsync(long jobId, string? note = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        AddIfSet(body, "note", note);
        return SendAsync<JobRecord>(() => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{jobId}/acknowledge") { Content = JsonContent.Create(body) }, cancellationToken);
    }

    /// <summary>Pauses a target (<c>kind</c> "target", key <c>group/target</c>) or an operation ("operation", <c>group/name</c>); returns the pause in force.</summary>
    public Task<PauseRecord> PauseAsync(string kind, string key, string? note = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        AddIfSet(body, "note", note);
        return SendAsync<PauseRecord>(() => new HttpRequestMessage(HttpMethod.Post, PausePath(kind, key) + "/pause") { Content = JsonContent.Create(body) }, cancellationToken);
    }

    /// <summary>Resumes a paused target or operation; false when it was not paused.</summary>
    public async Task<bool> ResumeAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<JsonObject>(() => new HttpRequestMessage(HttpMethod.Post, PausePath(kind, key) + "/resume") { Content = JsonContent.Create(new JsonObject()) }, cancellationToken).ConfigureAwait(false);
        return answer["resumed"]?.GetValue<bool>() ?? false;
    }

    /// <summary>The paused targets and operations.</summary>
    public async Task<IReadOnlyList<PauseRecord>> ListPausesAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<JsonObject>(() => new HttpRequestMessage(HttpMethod.Get, "/api/v1/pauses"), cancellationToken).ConfigureAwait(false);
        return answer["pauses"].Deserialize<PauseRecord[]>(Json) ?? [];
    }

    /// <summary>Creates a schedule; returns it with its next runs.</summary>
    public Task<ScheduleRecord> CreateScheduleAsync(ScheduleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new JsonObject { ["name"] = request.Name, ["operation"] = request.Operation };
        AddIfSet(body, "group", request.Group);
        AddIfSet(body, "target", request.Target);
        if (request.Parameters is { } parameters)
        {
            body["parameters"] = parameters.DeepClone();
        }

        AddIfSet(body, "cron", request.Cron);
        AddIfSet(body, "interval", request.Interval is { } every ? $"{(long)every.TotalMilliseconds}ms" : null);
        AddIfSet(body, "timeZone", request.TimeZone);
        AddIfSet(body, "start", request.Start?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        AddIfSet(body, "end", request.End?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        AddIfSet(body, "misfire", request.Misfire);
        AddIfSet(body, "catchUpWindow", request.CatchUpWindow is { } window ? $"{(long)window.TotalMilliseconds}ms" : null);
        AddIfSet(body, "overlap", request.Overlap);
        return SendAsync<ScheduleRecord>(() => new HttpRequestMessage(HttpMethod.Post, "/api/v1/schedules") { Content = JsonContent.Create(body) }, cancellationToken);
    }

    /// <summary>Every schedule, by name.</summary>
    public async Task<IReadOnlyList<ScheduleRecord>> ListSchedulesAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<JsonObject>(() => new HttpRequestMessage(HttpMethod.Get, "/api/v1/schedules"), cancellationToken).ConfigureAwait(false);
        return answer["schedules"].Deserialize<ScheduleRecord[]>(Json) ?? [];
    }

    /// <summary>One schedule with its next runs.</summary>
    public Task<ScheduleRecord> GetScheduleAsync(long scheduleId, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleRecord>(() => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/schedules/{scheduleId}"), cancellationToken);

    /// <summary>Pauses (or, with <paramref name="paused"/> false, resumes) a schedule.</summary>
    public Task<ScheduleRecord> PauseScheduleAsync(long scheduleId, bool paused = true, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleRecord>(() => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schedules/{scheduleId}/{(paused ? "pause" : "resume")}"), cancellationToken);

    /// <summary>Deletes a schedule; its jobs stay.</summary>
    public Task DeleteScheduleAsync(long scheduleId, CancellationToken cancellationToken = default) =>
        SendAsync<JsonNode?>(() => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/schedules/{scheduleId}"), cancellationToken);

    /// <summary>The next <paramref name="count"/> times a schedule is due.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> NextRunsAsync(long scheduleId, int count = 10, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<JsonObject>(() => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/schedules/{scheduleId}/next?count={count}"), cancellationToken).ConfigureAwait(false);
        return answer["nextRuns"].Deserialize<DateTimeOffset[]>(Json) ?? [];
    }

    /// <summary>Deletes a finished job.</summary>
    public Task DeleteAsync(long jobId, CancellationToken cancellationToken = default) =>
        SendAsync<JsonNode?>(() => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/jobs/{jobId}"), cancellationToken);

    /// <summary>
    /// Cancels (<c>"cancel"</c>) or deletes (<c>"delete"</c>) every job <paramref name="filter"/> matches, or with
    /// <paramref name="dryRun"/> only counts them. The filter's <c>Limit</c> is not used: every match is acted on.
    /// </summary>
    public Task<BulkSummary> BulkAsync(string action, JobListFilter filter, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentNullException.ThrowIfNull(filter);
        var match = new JsonObject();
        if (filter.Statuses.Count > 0)
        {
            match["status"] = new JsonArray([.. filter.Statuses.Select(s => (JsonNode)s.ToWire())]);
        }

        AddIfSet(match, "operation", filter.Operation);
        AddIfSet(match, "group", filter.Group);
        AddIfSet(match, "target", filter.Target);
        AddIfSet(match, "submitter", filter.Submitter);
        AddIfSet(match, "from", filter.From?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        AddIfSet(match, "to", filter.To?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (filter.Resolved is { } resolved)
        {
            match["resolved"] = resolved;
        }

        var body = new JsonObject { ["action"] = action, ["filter"] = match, ["dryRun"] = dryRun };
        return SendAsync<BulkSummary>(() => new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs/bulk") { Content = JsonContent.Create(body) }, cancellationToken);
    }

    /// <summary>One page of jobs, newest first; pass the previous page's <c>NextCursor</c> for the next.</summary>
    public async Task<JobListPage> ListAsync(JobListFilter? filter = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var query = ListQuery(filter ?? new JobListFilter(), cursor);
        var page = await SendAsync<JsonObject>(() => new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs" + query), cancellationToken).ConfigureAwait(false);
        var jobs = page["jobs"].Deserialize<JobRecord[]>(Json) ?? [];
        return new JobListPage(jobs, page["nextCursor"]?.GetValue<string>());
    }

    /// <summary>One page of the audit trail (admins only), newest first, filtered by actor and action.</summary>
    public async Task<AuditPage> ListAuditAsync(string? actor = null, string? action = null, int limit = 50, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string> { $"limit={limit}" };
        foreach (var (name, value) in new[] { ("actor", actor), ("action", action), ("cursor", cursor) })
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        var page = await SendAsync<JsonObject>(() => new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit?" + string.Join('&', query)), cancellationToken).ConfigureAwait(false);
        return new AuditPage(page["records"].Deserialize<AuditRecord[]>(Json) ?? [], page["nextCursor"]?.GetValue<string>());
    }

    /// <summary>Every job that matches, page after page.</summary>
    public async IAsyncEnumerable<JobRecord> ListAllAsync(JobListFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListAsync(filter, cursor, cancellationToken).ConfigureAwait(false);
            foreach (var job in page.Jobs)
            {
                yield return job;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>The job after each of its changes (server-sent events), ending after it has ended.</summary>
    public IAsyncEnumerable<JobRecord> WatchAsync(long jobId, CancellationToken cancellationToken = default) =>
        EventsAsync($"/api/v1/jobs/{jobId}/events", cancellationToken);

    /// <summary>Every job after each of its changes, until canceled.</summary>
    public IAsyncEnumerable<JobRecord> AllEventsAsync(CancellationToken cancellationToken = default) =>
        EventsAsync("/api/v1/events", cancellationToken);

    /// <summary>The operations the node serves.</summary>
    public async Task<IReadOnlyList<OperationView>> GetOperationsAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<JsonObject>(() => new HttpRequestMessage(HttpMethod.Get, "/api/v1/operations"), cancellationToken).ConfigureAwait(false);
        return answer["operations"].Deserialize<OperationView[]>(Json) ?? [];
    }

    /// <summary>One operation, by name (and group when several groups have it).</summary>
    public Task<OperationView> GetOperationAsync(string name, string? group = null, CancellationToken cancellationToken = default) =>
        SendAsync<OperationView>(
            () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/operations/{Uri.EscapeDataString(name)}" + (group is null ? string.Empty : $"?group={Uri.EscapeDataString(group)}")),
            cancellationToken);

    /// <summary>The node this client talks to.</summary>
    public Task<NodeInfo> GetNodeAsync(CancellationToken cancellationToken = default) =>
        SendAsync<NodeInfo>(() => new HttpRequestMessage(HttpMethod.Get, "/api/v1/node"), cancellationToken);

    /// <summary>Every live node of the cluster.</summary>
    public async Task<IReadOnlyList<NodeInfo>> GetNodesAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<JsonObject>(() => new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes"), cancellationToken).ConfigureAwait(false);
        return answer["nodes"].Deserialize<NodeInfo[]>(Json) ?? [];
    }

    private async IAsyncEnumerable<JobRecord> EventsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.EventType == "job" && JsonSerializer.Deserialize<JobRecord>(item.Data, Json) is { } job)
            {
                yield return job;
            }
        }
    }

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default!;
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The node answered {request().RequestUri} with an empty body.");
    }

    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var message = request();
            if (_options.Credential is { } credential)
            {
                message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
            }

            var response = await _http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < _options.MaxRetries)
                {
                    await Task.Delay(RetryDelay(response), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan RetryDelay(HttpResponseMessage response)
    {
        var delay = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _options.Time.GetUtcNow(),
            _ => _options.DefaultRetryDelay,
        };
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay;
    }

    private static async Task<JobwrightApiException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
        }

        return new JobwrightApiException(response.StatusCode, problem ?? new ProblemDetails { Status = (int)response.StatusCode, Title = response.ReasonPhrase });
    }

    private static string PausePath(string kind, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var root = kind switch
        {
            PauseKinds.Target => "targets",
            PauseKinds.Operation => "operations",
            _ => throw new ArgumentException($"'{kind}' cannot be paused; pause a target or an operation.", nameof(kind)),
        };
        var split = key.IndexOf('/', StringComparison.Ordinal);
        if (split <= 0 || split == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not group/name, e.g. LogicalPartition/lpar-1.", nameof(key));
        }

        return $"/api/v1/{root}/{Uri.EscapeDataString(key[..split])}/{Uri.EscapeDataString(key[(split + 1)..])}";
    }

    private static string ListQuery(JobListFilter filter, string? cursor)
    {
        var parts = new List<string> { $"limit={filter.Limit.ToString(CultureInfo.InvariantCulture)}" };
        if (filter.Statuses.Count > 0)
        {
            parts.Add("status=" + string.Join(',', filter.Statuses.Select(s => s.ToWire())));
        }

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("operation", filter.Operation);
        Add("group", filter.Group);
        Add("target", filter.Target);
        Add("submitter", filter.Submitter);
        Add("from", filter.From?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("to", filter.To?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("resolved", filter.Resolved is { } resolved ? (resolved ? "true" : "false") : null);
        Add("cursor", cursor);
        return "?" + string.Join('&', parts);
    }

    private static void AddIfSet(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}
