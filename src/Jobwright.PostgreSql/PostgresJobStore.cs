using System.Collections.Concurrent;
using System.Text;
using Jobwright.Diagnostics;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>
/// The shared store: many nodes over one PostgreSQL database. Writes go through one connection per node
/// in batches (<see cref="PgWriter"/>); reads use a pool. Claims run server-side under one cluster-wide
/// lock so target and operation limits hold across nodes; every write of a job's life carries the
/// attempt token of its claim, so a node that lost the job can change nothing.
/// </summary>
public sealed partial class PostgresJobStore : IJobStore
{
    private static readonly string Ended = $"status NOT IN ({PgStatus.NotStarted}, {PgStatus.Running})";
    private const string Columns = StoredJobRow.Columns;

    private readonly PostgresStoreOptions _options;
    private readonly ILogger<PostgresJobStore> _logger;
    private readonly TimeProvider _time;
    private readonly JobChangeFeed _changes;
    private readonly ConcurrentDictionary<int, byte> _ownProcessIds = new();
    private NpgsqlDataSource? _dataSource;
    private NpgsqlDataSource? _listenSource;
    private NpgsqlDataSource? _writeSource;
    private PgWriter? _writer;
    private PgChangeListener? _listener;
    private long _claimsMade;

    /// <summary>Creates the store; <see cref="InitializeAsync"/> opens it.</summary>
    public PostgresJobStore(PostgresStoreOptions options, TimeProvider time, JobChangeFeed changes)
        : this(options, time, changes, NullLogger<PostgresJobStore>.Instance)
    {
    }

    /// <summary>A store that logs what it does about connections, failed writes and retried reads to <paramref name="logger"/>.</summary>
    public PostgresJobStore(PostgresStoreOptions options, TimeProvider time, JobChangeFeed changes, ILogger<PostgresJobStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _time = time;
        _changes = changes;
        _logger = logger;
    }

    /// <summary>Where the store records its commits (duration, job writes per commit); none when null.</summary>
    public JobwrightMetrics? Metrics { get; init; }

    /// <inheritdoc />
    public string Kind => "postgres";

    /// <summary>How many write batches (transactions) this node committed.</summary>
    public long CommittedBatches => _writer?.Batches ?? 0;

    private PgWriter Writer => _writer ?? throw new InvalidOperationException("The PostgreSQL store is not initialized: call InitializeAsync first.");

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return;
        }

        var builder = _options.Builder();
        _dataSource = NpgsqlDataSource.Create(builder);
        // Every write finds its rows by id through the primary key (or through a small partial index). A
        // table that grew since its last statistics looks tiny to the planner, which would then scan or
        // hash all of it for each write; these settings keep it on the indexes.
        var writes = _options.Builder();
        writes.Options = ((writes.Options ?? string.Empty) + " -c enable_seqscan=off -c enable_bitmapscan=off -c enable_hashjoin=off -c enable_mergejoin=off").Trim();
        _writeSource = NpgsqlDataSource.Create(writes);
        // The listening connection is idle for long stretches: keepalives find a dead server.
        var listen = _options.Builder();
        listen.KeepAlive = 15;
        _listenSource = NpgsqlDataSource.Create(listen);
        try
        {
            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                await PgMigrator.ApplyAsync(connection, _options.Schema, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (PgErrors.IsUnavailable(e))
        {
            throw new StoreUnavailableException($"PostgreSQL at {builder.Host}:{builder.Port} (database {builder.Database}) cannot be reached: {e.Message}", e);
        }

        _writer = new PgWriter(_writeSource, _changes, _ownProcessIds, Metrics, _logger);
        _listener = new PgChangeListener(_listenSource, "jobwright_" + _options.Schema, _ownProcessIds, _changes, _logger);
        await _listener.StartAsync().ConfigureAwait(false);
        Log.Ready(_logger, builder.Host ?? "localhost", builder.Port, builder.Database ?? string.Empty, _options.Schema);
    }

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = NowMs;
        var parameters = job.Parameters.ToJsonString();
        var waitDeadline = job.BusyMaxWait is { } wait ? now + (long)wait.TotalMilliseconds : (long?)null;
        if (job.IdempotencyKey is null)
        {
            var (created, holder) = await Writer.WriteMergedAsync(
                PgMergedWrites.Submits,
                new PgMergedWrites.Submit(job.Operation, job.Group, job.Target, job.TargetKey, parameters, job.Submitter, now,
                    job.NotBefore?.ToUnixTimeMilliseconds(), job.TargetLimit, job.OperationLimit, job.BusyRetryAfterSeconds, waitDeadline,
                    job.BusyWaitRetryAfterSeconds, job.RetryOf, job.TraceParent, job.Priority),
                (rows, index, changes) =>
                {
                    var createdId = rows.SortedFirstColumn(index);
                    changes.Add(new JobChange(createdId, JobStatus.NotStarted, 1));
                    return (createdId, HolderIn(rows.Find(createdId)!));
                },
                cancellationToken,
                WriteKind.Submit).ConfigureAwait(false);
            return new SubmitResult(job.Stored(created, StoredJobRow.Time(now)), Created: true)
            {
                TargetSeenFree = job.TargetKey is not null && holder is null,
                TargetHolder = holder,
            };
        }

        // A keyed submit is a statement of its own: its insert may give way to an earlier job with the key.
        var id = await Writer.WriteAsync(
            () => PgCommands.Batch(
                "INSERT INTO jobs (status, operation, op_group, target, target_key, parameters, submitter, idempotency_key, time_submitted, " +
                "not_before, target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s, retry_of, trace_parent, priority) " +
                $"VALUES ({PgStatus.NotStarted}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) " +
                "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id",
                job.Operation, job.Group, job.Target, job.TargetKey, parameters, job.Submitter, job.IdempotencyKey, now,
                job.NotBefore?.ToUnixTimeMilliseconds(), job.TargetLimit, job.OperationLimit, job.BusyRetryAfterSeconds,
                waitDeadline, job.BusyWaitRetryAfterSeconds, job.RetryOf, job.TraceParent, job.Priority),
            (rows, changes) =>
            {
                if (rows.Count == 0)
                {
                    return (long?)null;
                }

                var created = (long)rows[0][0]!;
                changes.Add(new JobChange(created, JobStatus.NotStarted, 1));
                return created;
            },
            cancellationToken,
            WriteKind.Submit).ConfigureAwait(false);

        if (id is null)
        {
            // The idempotency key was taken: answer with the job that took it.
            var existing = await ReadAsync(
                async connection => await ReadJobsAsync(connection, $"SELECT {Columns} FROM jobs WHERE idempotency_key = $1", cancellationToken, job.IdempotencyKey).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return new SubmitResult(existing.Single(), Created: false);
        }

        return new SubmitResult(job.Stored(id.Value, StoredJobRow.Time(now)), Created: true);
    }

    /// <inheritdoc />
    public Task<JobRecord?> GetAsync(long jobId, bool includeHistory, CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            var job = (await ReadJobsAsync(connection, $"SELECT {Columns} FROM jobs WHERE id = $1", cancellationToken, jobId).ConfigureAwait(false)).SingleOrDefault();
            if (job is null || !includeHistory)
            {
                return job;
            }

            // The table holds the transitions after the submit and the start (StoredJobRow.History derives
            // those). A node of an earlier version, still running beside this one, may yet write a start row: skipped.
            var stored = new List<JobTransition>();
            await using var command = PgCommands.Command(connection, $"SELECT time, from_status, to_status, node, actor, reason FROM job_transitions WHERE job_id = $1 AND to_status <> {PgStatus.Running} ORDER BY seq", jobId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add(StoredJobRow.Transition(reader));
            }

            return job with { History = StoredJobRow.History(job, stored) };
        }, cancellationToken);

    /// <inheritdoc />
    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("TRUE");
        var values = new List<object?>();
        void Filter(string condition, object value)
        {
            values.Add(value);
            where.Append(" AND ").Append(condition.Replace("@", "$" + values.Count, StringComparison.Ordinal));
        }

        if (query.Statuses.Distinct().ToArray() is [var only] && !only.IsTerminal())
        {
            // Only waiting, or only running jobs: the literal lets the planner read that status's small index (migration 010).
            where.Append(" AND status = ").Append(PgStatus.Literal(only));
        }
        else if (query.Statuses.Count > 0)
        {
            Filter("status = ANY(@)", query.Statuses.Select(s => s.ToWire()).ToArray());
        }

        if (query.Operation is not null)
        {
            Filter("operation = @", query.Operation);
        }

        if (query.Group is not null)
        {
            Filter("op_group = @", query.Group);
        }

        if (query.Target is not null)
        {
            Filter("target = @", query.Target);
        }

        if (query.Submitter is not null)
        {
            Filter("submitter = @", query.Submitter);
        }

        if (query.SubmittedFrom is { } from)
        {
            Filter("time_submitted >= @", from.ToUnixTimeMilliseconds());
        }

        if (query.SubmittedTo is { } to)
        {
            Filter("time_submitted < @", to.ToUnixTimeMilliseconds());
        }

        if (query.ScheduleId is { } scheduleId)
        {
            Filter("schedule_id = @", scheduleId);
        }

        if (query.Resolved is { } resolved)
        {
            where.Append(resolved ? " AND resolution IS NOT NULL" : " AND resolution IS NULL");
        }

        if (query.BeforeId is { } before)
        {
            Filter("id < @", before);
        }

        values.Add(query.FetchSize);
        var sql = $"SELECT {Columns} FROM jobs WHERE {where} ORDER BY id DESC LIMIT ${values.Count}";
        return ReadAsync(async connection =>
        {
            var jobs = await ReadJobsAsync(connection, sql, cancellationToken, [.. values]).ConfigureAwait(false);
            return JobPage.FromFetched(jobs, query);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string node, int maxJobs, CancellationToken cancellationToken) =>
        ClaimAsync(node, maxJobs, sendAlone: null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedJob>> ClaimWithNextSubmitAsync(string node, int maxJobs, Task claimAlone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimAlone);
        return ClaimAsync(node, maxJobs, claimAlone, cancellationToken);
    }

    private async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string node, int maxJobs, Task? sendAlone, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxJobs, 1);
        var attempt = AttemptTokens.New();
        // A joined node claims only what it serves, and its claims are fenced by its registration: once the
        // cluster gave it up, it claims nothing.
        var joined = _membership is { } m && m.Member.Name == node ? m : null;
        var instance = joined?.Instance;
        var operations = joined?.Member.Operations.ToArray();
        // One claim in JobPriority.OldestFirstEvery takes the jobs in submit order: no low-priority job starves.
        var oldestFirst = Interlocked.Increment(ref _claimsMade) % JobPriority.OldestFirstEvery == 0;
        // The claim's time is taken when it is sent: a held claim may wait long before it goes.
        Func<NpgsqlBatchCommand> command = () => PgCommands.Batch(
            $"SELECT {Columns} FROM jobwright_claim($1, $2, $3::text[], $4, $5, $6, $7)", node, instance, operations, maxJobs, NowMs, attempt, oldestFirst);
        Func<IReadOnlyList<object?[]>, List<JobChange>, IReadOnlyList<object?[]>> map = (rows, changes) =>
        {
            foreach (var row in rows)
            {
                changes.Add(new JobChange(StoredJobRow.Id(row), JobStatuses.Parse((string)row[1]!), StoredJobRow.Version(row)));
            }

            return rows;
        };
        var rows = await (sendAlone is null
            ? Writer.WriteAsync(command, map, cancellationToken, WriteKind.Claim)
            : Writer.WriteWithNextSubmitAsync(command, map, sendAlone, cancellationToken)).ConfigureAwait(false);
        return rows
            .Where(row => (string)row[1]! == JobStatus.NotStarted.ToWire())
            .Select(row => new ClaimedJob(StoredJobRow.Map(row), attempt))
            .OrderBy(c => c.Job.JobId)
            .ToArray();
    }

    /// <inheritdoc />
    public Task<bool> StartAsync(long jobId, long attempt, CancellationToken cancellationToken) =>
        Writer.WriteMergedAsync(
            PgMergedWrites.Starts,
            new PgMergedWrites.Start(jobId, attempt, NowMs),
            (rows, _, changes) => Changed(PgMergedWrites.VersionOf(rows, jobId), changes, jobId, JobStatus.Running),
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> ReleaseAsync(long jobId, long attempt, CancellationToken cancellationToken) =>
        Writer.WriteAsync(
            () => PgCommands.Batch(
                $"UPDATE jobs SET attempt = NULL, node = NULL, version = version + 1 WHERE id = $1 AND status = {PgStatus.NotStarted} AND attempt = $2 RETURNING version",
                jobId, attempt),
            (rows, changes) => Changed(rows, changes, jobId, JobStatus.NotStarted),
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> ReportProgressAsync(long jobId, long attempt, JobSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var progress = StoredJson.Write(snapshot.Progress);
        var results = StoredJson.Write(snapshot.Results);
        var messages = StoredJson.Write(snapshot.Messages);
        return Writer.WriteMergedAsync(
            PgMergedWrites.Progresses,
            new PgMergedWrites.Progress(jobId, attempt, progress, results, messages),
            (rows, _, changes) => Changed(PgMergedWrites.VersionOf(rows, jobId), changes, jobId, JobStatus.Running),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<FinishResult> FinishAsync(long jobId, long attempt, JobFinish finish, CancellationToken cancellationToken)
    {
        var from = JobEnds.From(finish);
        if (!JobEnds.IsAllowed(finish))
        {
            return new FinishResult(false, await GetAsync(jobId, includeHistory: false, cancellationToken).ConfigureAwait(false));
        }

        var now = NowMs;
        var applied = await Writer.WriteMergedAsync(
            PgMergedWrites.Finishes,
            new PgMergedWrites.Finish(jobId, attempt, finish.Status.ToWire(), NowMs, StoredJson.Write(finish.Snapshot.Progress),
                StoredJson.Write(finish.Snapshot.Results), StoredJson.Write(finish.Snapshot.Messages), StoredJson.Write(finish.Error),
                finish.RetryAfterSeconds, from.ToWire(), finish.Reason),
            (rows, _, changes) => Changed(PgMergedWrites.VersionOf(rows, jobId), changes, jobId, finish.Status),
            cancellationToken).ConfigureAwait(false);
        // Refused: another writer decided the job (a cancel, a rescue), or the attempt lost it.
        return applied ? new FinishResult(true, null) : new FinishResult(false, await GetAsync(jobId, includeHistory: false, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<CancelResult> CancelAsync(long jobId, string? actor, CancellationToken cancellationToken)
    {
        var now = NowMs;
        var outcome = await Writer.WriteAsync(
            () => PgCommands.Batch(
                "WITH current AS (SELECT id, status, cancel_requested FROM jobs WHERE id = $1 FOR UPDATE), " +
                $"canceled AS (UPDATE jobs j SET status = {PgStatus.CanceledBeforeStart}, time_completed = $2, cancel_requested = TRUE, " +
                "cancel_requested_by = $3::text, results = $4, version = j.version + 1 FROM current c " +
                $"WHERE j.id = c.id AND c.status = {PgStatus.NotStarted} RETURNING j.id, j.version), " +
                "requested AS (UPDATE jobs j SET cancel_requested = TRUE, cancel_requested_by = $3::text, version = j.version + 1 FROM current c " +
                $"WHERE j.id = c.id AND c.status = {PgStatus.Running} AND NOT c.cancel_requested RETURNING j.id, j.version), " +
                "history AS (INSERT INTO job_transitions (job_id, time, from_status, to_status, actor, reason) " +
                $"SELECT id, $2, {PgStatus.NotStarted}, {PgStatus.CanceledBeforeStart}, $3::text, $5 FROM canceled) " +
                "SELECT c.status, (SELECT version FROM canceled), (SELECT version FROM requested) FROM current c",
                jobId, now, actor, StoredJson.Write(JobEnds.FailureResults(JobEnds.CanceledBeforeStart)), JobEnds.CanceledBeforeStart),
            (rows, changes) =>
            {
                if (rows.Count == 0)
                {
                    return CancelOutcome.NotFound;
                }

                var row = rows[0];
                if (row[1] is long canceledVersion)
                {
                    changes.Add(new JobChange(jobId, JobStatus.CanceledBeforeStart, canceledVersion));
                    return CancelOutcome.CanceledBeforeStart;
                }

                if (row[2] is long requestedVersion)
                {
                    changes.Add(new JobChange(jobId, JobStatus.Running, requestedVersion));
                }

                return JobStatuses.Parse((string)row[0]!) == JobStatus.Running ? CancelOutcome.Requested : CancelOutcome.AlreadyTerminal;
            },
            cancellationToken).ConfigureAwait(false);
        return outcome == CancelOutcome.NotFound
            ? new CancelResult(outcome, null)
            : new CancelResult(outcome, await GetAsync(jobId, includeHistory: false, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<ResolveResult> ResolveAsync(long jobId, JobResolution resolution, NewJob? linked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var now = NowMs;
        var json = StoredJson.Write(resolution with { JobId = null })!;
        var ended = $"WITH ended AS (SELECT id FROM jobs WHERE id = $1::bigint AND resolution IS NULL AND {Ended} FOR UPDATE), ";
        // One statement: the linked job is inserted only when the ended job can take the resolution, and both commit together.
        var statement = linked is null
            ? PgCommands.Batch(
                ended + "resolved AS (UPDATE jobs j SET resolution = $2::text, version = j.version + 1 FROM ended e WHERE j.id = e.id RETURNING j.version, j.status) " +
                "SELECT NULL::bigint, version, status FROM resolved",
                jobId, json)
            : PgCommands.Batch(
                ended +
                "created AS (INSERT INTO jobs (status, operation, op_group, target, target_key, parameters, submitter, time_submitted, " +
                "not_before, target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s, trace_parent, priority, rerun_of, resumes, reverts) " +
                $"SELECT {PgStatus.NotStarted}, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::bigint, $10::bigint, $11::integer, " +
                "$12::integer, $13::integer, $14::bigint, $15::integer, $16::text, $17::integer, $18::bigint, $19::bigint, $20::bigint FROM ended RETURNING id), " +
                "resolved AS (UPDATE jobs j SET resolution = jsonb_set($2::jsonb, '{jobId}', to_jsonb(c.id))::text, version = j.version + 1 " +
                "FROM created c WHERE j.id = $1::bigint RETURNING c.id AS created, j.version, j.status) " +
                "SELECT created, version, status FROM resolved",
                jobId, json, linked.Operation, linked.Group, linked.Target, linked.TargetKey, linked.Parameters.ToJsonString(), linked.Submitter, now,
                linked.NotBefore?.ToUnixTimeMilliseconds(), linked.TargetLimit, linked.OperationLimit, linked.BusyRetryAfterSeconds,
                linked.BusyMaxWait is { } wait ? now + (long)wait.TotalMilliseconds : null, linked.BusyWaitRetryAfterSeconds, linked.TraceParent, linked.Priority,
                linked.RerunOf, linked.Resumes, linked.Reverts);
        var created = await Writer.WriteAsync(
            () => statement,
            (rows, changes) =>
            {
                if (rows.Count == 0)
                {
                    return (Applied: false, Id: (long?)null);
                }

                var id = rows[0][0] is long createdId ? createdId : (long?)null;
                if (id is { } linkedId)
                {
                    changes.Add(new JobChange(linkedId, JobStatus.NotStarted, 1));
                }

                changes.Add(new JobChange(jobId, JobStatuses.Parse((string)rows[0][2]!), (long)rows[0][1]!));
                return (Applied: true, Id: id);
            },
            cancellationToken).ConfigureAwait(false);
        return new ResolveResult(created.Applied, created.Id is { } newId ? linked!.Stored(newId, StoredJobRow.Time(now)) : null);
    }

    /// <inheritdoc />
    public async Task<JobRecord?> SubmitRetryAsync(long jobId, NewJob retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var linked = retry with { RetryOf = jobId, IdempotencyKey = null };
        var now = NowMs;
        var waitDeadline = linked.BusyMaxWait is { } wait ? now + (long)wait.TotalMilliseconds : (long?)null;
        // One statement: the insert happens only when the ended job can take the link, and both commit together.
        var created = await Writer.WriteAsync(
            () => PgCommands.Batch(
                $"WITH ended AS (SELECT id FROM jobs WHERE id = $14::bigint AND retried_by IS NULL AND {Ended} FOR UPDATE), " +
                "created AS (INSERT INTO jobs (status, operation, op_group, target, target_key, parameters, submitter, time_submitted, " +
                "not_before, target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s, retry_of, trace_parent, priority) " +
                $"SELECT {PgStatus.NotStarted}, $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::bigint, $8::bigint, $9::integer, " +
                "$10::integer, $11::integer, $12::bigint, $13::integer, id, $15::text, $16::integer FROM ended RETURNING id), " +
                "linked AS (UPDATE jobs j SET retried_by = c.id, version = j.version + 1 FROM created c WHERE j.id = $14::bigint " +
                "RETURNING c.id AS created, j.version, j.status) " +
                "SELECT created, version, status FROM linked",
                linked.Operation, linked.Group, linked.Target, linked.TargetKey, linked.Parameters.ToJsonString(), linked.Submitter, now,
                linked.NotBefore?.ToUnixTimeMilliseconds(), linked.TargetLimit, linked.OperationLimit, linked.BusyRetryAfterSeconds,
                waitDeadline, linked.BusyWaitRetryAfterSeconds, jobId, linked.TraceParent, linked.Priority),
            (rows, changes) =>
            {
                if (rows.Count == 0)
                {
                    return (long?)null;
                }

                var id = (long)rows[0][0]!;
                changes.Add(new JobChange(id, JobStatus.NotStarted, 1));
                changes.Add(new JobChange(jobId, JobStatuses.Parse((string)rows[0][2]!), (long)rows[0][1]!));
                return id;
            },
            cancellationToken).ConfigureAwait(false);
        return created is { } createdId ? linked.Stored(createdId, StoredJobRow.Time(now)) : null;
    }

    /// <inheritdoc />
    public Task<int> PurgeAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken) =>
        Writer.WriteAsync(
            () => PgCommands.Batch(
                $"WITH doomed AS (DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE {Ended} AND time_completed < $1 ORDER BY id LIMIT $2) RETURNING id), " +
                "history AS (DELETE FROM job_transitions WHERE job_id IN (SELECT id FROM doomed)) SELECT id FROM doomed",
                endedBefore.ToUnixTimeMilliseconds(), limit),
            (rows, changes) =>
            {
                foreach (var row in rows)
                {
                    changes.Add(new JobChange((long)row[0]!, null, long.MaxValue));
                }

                return rows.Count;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<DeleteOutcome> DeleteAsync(long jobId, CancellationToken cancellationToken) =>
        Writer.WriteAsync(
            () => PgCommands.Batch(
                "WITH current AS (SELECT status FROM jobs WHERE id = $1), " +
                $"doomed AS (DELETE FROM jobs WHERE id = $1 AND {Ended} RETURNING id), " +
                "history AS (DELETE FROM job_transitions WHERE job_id IN (SELECT id FROM doomed)) " +
                "SELECT (SELECT status FROM current), (SELECT count(*) FROM doomed)",
                jobId),
            (rows, changes) =>
            {
                if (rows[0][0] is not string)
                {
                    return DeleteOutcome.NotFound;
                }

                if ((long)rows[0][1]! == 0)
                {
                    return DeleteOutcome.NotTerminal;
                }

                changes.Add(new JobChange(jobId, null, long.MaxValue));
                return DeleteOutcome.Deleted;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<RecoveryResult> RecoverAsync(string? node, string message, CancellationToken cancellationToken)
    {
        var now = NowMs;
        return Writer.WriteAsync(
            () => PgCommands.Batch("SELECT job_id, status, version FROM jobwright_rescue($1::text, $2, $3)", node, now, message),
            (rows, changes) =>
            {
                var failed = 0;
                foreach (var row in rows)
                {
                    var status = JobStatuses.Parse((string)row[1]!);
                    failed += status == JobStatus.FailedBeforeCompletion ? 1 : 0;
                    changes.Add(new JobChange((long)row[0]!, status, (long)row[2]!));
                }

                return new RecoveryResult(failed, rows.Count - failed);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        ReadAsync(
            async connection => (await ReadJobsAsync(connection, $"SELECT {Columns} FROM jobs WHERE idempotency_key = $1", cancellationToken, idempotencyKey).ConfigureAwait(false)).SingleOrDefault(),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, JobRecord>> FindTargetHoldersAsync(IReadOnlyCollection<string> targetKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targetKeys);
        var keys = targetKeys.Distinct(StringComparer.Ordinal).ToArray();
        return ReadAsync<IReadOnlyDictionary<string, JobRecord>>(async connection =>
        {
            var holders = await ReadJobsAsync(
                connection,
                $"SELECT DISTINCT ON (target_key) {Columns} FROM jobs WHERE target_key = ANY($1) AND {PgStatus.Active} ORDER BY target_key, id",
                cancellationToken,
                [keys]).ConfigureAwait(false);
            return holders.ToDictionary(job => JobHolds.KeyOf(job)!, StringComparer.Ordinal);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueuedJob>> QueueHeadAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync<IReadOnlyList<QueuedJob>>(async connection =>
        {
            // In claim order: the jobs above priority 0, those at 0 in submit order, those below (jobwright_claim).
            // The queue without the jobs that have a start time (those wait in an index of their own, migration 010).
            var queued = $"status = {PgStatus.NotStarted} AND attempt IS NULL AND not_before IS NULL";
            await using var command = PgCommands.Command(
                connection,
                $"(SELECT id, priority FROM jobs WHERE {queued} AND priority <> 0 AND priority > 0 ORDER BY priority DESC, id LIMIT $1) " +
                $"UNION ALL (SELECT id, priority FROM jobs WHERE {queued} AND priority = 0 ORDER BY id LIMIT $1) " +
                $"UNION ALL (SELECT id, priority FROM jobs WHERE {queued} AND priority <> 0 AND priority < 0 ORDER BY priority DESC, id LIMIT $1) LIMIT $1",
                limit);
            var head = new List<QueuedJob>(limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                head.Add(new QueuedJob(reader.GetInt64(0), reader.GetInt32(1)));
            }

            return head;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> CountQueuedAheadAsync(long jobId, int cap, CancellationToken cancellationToken) =>
        // The queue is two indexes (migration 010): the jobs without a start time, and those with one. The first is
        // counted from the claims' floor (migration 013): below it no job waits, only entries of claimed ones.
        ScalarAsync(
            $"SELECT (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE status = {PgStatus.NotStarted} AND attempt IS NULL AND not_before IS NULL AND id < $1 " +
            "AND id >= COALESCE((SELECT floor FROM claim_floor), 0) LIMIT $2) now) + " +
            $"(SELECT count(*) FROM (SELECT 1 FROM jobs WHERE status = {PgStatus.NotStarted} AND attempt IS NULL AND not_before IS NOT NULL AND id < $1 LIMIT $2) later)",
            cancellationToken, jobId, cap);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, long>> CountActiveAsync(IReadOnlyCollection<string> qualifiedOperations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(qualifiedOperations);
        var wanted = qualifiedOperations.Distinct(StringComparer.Ordinal).ToArray();
        return ReadAsync<IReadOnlyDictionary<string, long>>(async connection =>
        {
            // Only jobs of an operation with a limit are counted (and indexed): the count matters for no other.
            await using var command = PgCommands.Command(
                connection,
                $"SELECT op_group || '/' || operation, count(*) FROM jobs WHERE op_limit IS NOT NULL AND {PgStatus.Active} AND op_group || '/' || operation = ANY($1) GROUP BY op_group, operation",
                [wanted]);
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<JobStatus, long>>(async connection =>
        {
            var counts = JobStatuses.All.ToDictionary(s => s, _ => 0L);
            await using var command = PgCommands.Command(connection, "SELECT status, count(*) FROM jobs GROUP BY status");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[JobStatuses.Parse(reader.GetString(0))] = reader.GetInt64(1);
            }

            return counts;
        }, cancellationToken);

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) => ScalarAsync("SELECT count(*) FROM schema_migrations", cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // The listener and the writer first: they use the data sources.
        IAsyncDisposable?[] parts = [_listener, _writer, _dataSource, _listenSource, _writeSource];
        (_listener, _writer, _dataSource, _listenSource, _writeSource) = (null, null, null, null, null);
        foreach (var part in parts)
        {
            if (part is not null)
            {
                await part.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static bool Changed(IReadOnlyList<object?[]> rows, List<JobChange> changes, long jobId, JobStatus status) =>
        Changed(rows.Count == 0 ? null : (long)rows[0][0]!, changes, jobId, status);

    private static bool Changed(long? version, List<JobChange> changes, long jobId, JobStatus status)
    {
        if (version is not { } changed)
        {
            return false;
        }

        changes.Add(new JobChange(jobId, status, changed));
        return true;
    }

    // The holder a merged submit's row carries after the new job's id (PgMergedWrites.Submits): null when its columns are.
    private static JobRecord? HolderIn(object?[] row) => row[1] is null or DBNull ? null : StoredJobRow.Map(row[1..]);

    private static async Task<List<JobRecord>> ReadJobsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = PgCommands.Command(connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<JobRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            jobs.Add(StoredJobRow.Map(row));
        }

        return jobs;
    }

    private Task<long> ScalarAsync(string sql, CancellationToken cancellationToken, params object?[] values) =>
        ReadAsync(async connection =>
        {
            await using var command = PgCommands.Command(connection, sql, values);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        var dataSource = _dataSource ?? throw new InvalidOperationException("The PostgreSQL store is not initialized: call InitializeAsync first.");
        // After a restart of the server every pooled connection is broken: the first read finds out,
        // empties the pool and tries once more on a new connection before it calls the store unreachable.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await read(connection).ConfigureAwait(false);
            }
            catch (Exception e) when (PgErrors.IsUnavailable(e))
            {
                dataSource.Clear();
                if (attempt == 2)
                {
                    throw PgErrors.Translate(e);
                }

                Log.ReadRetried(_logger, e.Message);
            }
        }
    }
}
