using System.Text;
using System.Text.Json;
using Jobwright.Diagnostics;
using Jobwright.Model;
using Jobwright.Storage;
using Jobwright.Status;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobwright.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, written by one writer that groups concurrent
/// writes into one durable commit; read through pooled connections that never block it. One node
/// owns a file at a time (a lock file beside it says so).
/// </summary>
public sealed partial class SqliteJobStore : IJobStore
{
    private static readonly string NotStarted = JobStatus.NotStarted.ToWire();
    private static readonly string Running = JobStatus.Running.ToWire();
    private static readonly string Active = SqliteStatus.Active;
    private static readonly string Queued = SqliteStatus.Queued;

    // The queued jobs without a start time: those the queue's indexes hold (migration 011).
    private static readonly string QueuedNow = Queued + " AND not_before IS NULL";

    private readonly SqliteStoreOptions _options;
    private readonly ILogger<SqliteJobStore> _logger;
    private readonly TimeProvider _time;
    private readonly JobChangeFeed _changes;
    private readonly string _connectionString;
    private readonly SqliteReservations _claims = new();
    private SqliteConnection? _writerConnection;
    private SqliteWriter? _writer;
    private SqliteCheckpointer? _checkpointer;
    private FileStream? _ownerLock;
    private readonly SqliteFiles.Found _foundAtStart;
    private long _claimsMade;

    /// <summary>Creates the store; <see cref="InitializeAsync"/> opens it.</summary>
    public SqliteJobStore(SqliteStoreOptions options, TimeProvider time, JobChangeFeed changes)
        : this(options, time, changes, NullLogger<SqliteJobStore>.Instance)
    {
    }

    /// <summary>A store that logs its opening and its failed writes to <paramref name="logger"/>.</summary>
    public SqliteJobStore(SqliteStoreOptions options, TimeProvider time, JobChangeFeed changes, ILogger<SqliteJobStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        options.Validate();
        _options = options;
        _time = time;
        _changes = changes;
        // Looked at before anything of this run is made beside the file (its lock, and the node's key).
        _foundAtStart = SqliteFiles.Inspect(options.Path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Where the store records its commits (duration, job writes per commit); none when null.</summary>
    public JobwrightMetrics? Metrics { get; init; }

    /// <inheritdoc />
    public string Kind => "sqlite";

    /// <summary>The database file.</summary>
    public string Path => _options.Path;

    private SqliteWriter Writer => _writer ?? throw new InvalidOperationException("The SQLite store is not initialized: call InitializeAsync first.");

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return Task.CompletedTask;
        }

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_options.Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        // The lock is taken on the file itself, not on the name it was given: a link to it names the same file.
        var file = SqliteFiles.RealPath(_options.Path);
        _ownerLock = TakeOwnership(file);
        if (_foundAtStart is { Exists: false, RunBefore: var sign })
        {
            if (sign is not null)
            {
                Log.DatabaseMissing(_logger, file, sign);
            }
            else
            {
                Log.DatabaseCreated(_logger, file);
            }
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Pragma(connection, "PRAGMA journal_mode = WAL");
            Pragma(connection, $"PRAGMA synchronous = {_options.Synchronous}");
            Pragma(connection, "PRAGMA foreign_keys = ON");
            // 8 MB of page cache for the writer (readers keep SQLite's default, 2 MB). 32 MB was no faster at drains,
            // a 1.1-million-job store or removing 1 million expired jobs, and was resident memory once the file outgrew it.
            Pragma(connection, "PRAGMA cache_size = -8000");
            // The checkpoints run beside the writer (SqliteCheckpointer); the writer's own is the backstop.
            Pragma(connection, $"PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterBackstopFrames}");
            SqliteMigrator.Apply(connection, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteErrors.Corrupt or SqliteErrors.NotADatabase)
        {
            connection.Dispose();
            _ownerLock.Dispose();
            _ownerLock = null;
            throw new InvalidOperationException(
                $"The SQLite database {file} is damaged or is not a database ({e.Message}). Restore it from a backup, or give the node another path.", e);
        }
        _writerConnection = connection;
        _checkpointer = new SqliteCheckpointer(_connectionString, _logger);
        _writer = new SqliteWriter(connection, _options.Path, _claims, _time, _changes, Metrics, _checkpointer, _logger);
        Log.Ready(_logger, _options.Path, _options.Synchronous);
        return Task.CompletedTask;
    }

    /// <summary>Reads back the <c>synchronous</c> setting of the writer connection (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).</summary>
    public Task<long> ReadSynchronousAsync(CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope => (long)scope.Command("PRAGMA synchronous").ExecuteScalar()!, cancellationToken);

    /// <inheritdoc />
    public Task<SubmitResult> SubmitAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var parameters = job.Parameters.ToJsonString();
        return Writer.WriteAsync(scope =>
        {
            if (job.IdempotencyKey is not null)
            {
                var existing = scope.Command("SELECT id FROM jobs WHERE idempotency_key = $k");
                existing.Parameters.AddWithValue("$k", job.IdempotencyKey);
                if (existing.ExecuteScalar() is long existingId)
                {
                    return new SubmitResult(ReadJob(scope, existingId)!, Created: false);
                }
            }

            var id = Insert(scope, job, parameters);
            var holder = HolderOf(scope, job.TargetKey, id);
            return new SubmitResult(job.Stored(id, JobRowMapper.Time(scope.NowMs)), Created: true)
            {
                TargetSeenFree = job.TargetKey is not null && holder is null,
                TargetHolder = holder,
            };
        }, cancellationToken, WriteKind.Submit);
    }

    // The job holding the target (the oldest of a claim in memory and an active row), read in the submit's own write
    // from the small active-target index: the submit's answer then names it, or says the target is free, with no read.
    private JobRecord? HolderOf(SqliteWriteScope scope, string? targetKey, long jobId)
    {
        if (targetKey is null)
        {
            return null;
        }

        var held = scope.Command($"SELECT id FROM jobs INDEXED BY jobs_active_target WHERE target_key = $key AND target_key IS NOT NULL AND {Active} AND id <> $id ORDER BY id LIMIT 1");
        held.Parameters.AddWithValue("$key", targetKey);
        held.Parameters.AddWithValue("$id", jobId);
        long?[] holders = [held.ExecuteScalar() as long?, scope.Claims.OldestOnTarget(targetKey)];
        return holders.Min() is { } holder ? _claims.WithClaim(ReadJob(scope, holder)) : null;
    }

    /// <inheritdoc />
    public Task<JobRecord?> SubmitRetryAsync(long jobId, NewJob retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var linked = retry with { RetryOf = jobId, IdempotencyKey = null };
        var parameters = linked.Parameters.ToJsonString();
        return Writer.WriteAsync(scope =>
        {
            var ended = scope.Command($"SELECT status FROM jobs WHERE id = $id AND retried_by IS NULL AND status NOT IN ('{NotStarted}', '{Running}')");
            ended.Parameters.AddWithValue("$id", jobId);
            if (ended.ExecuteScalar() is not string status)
            {
                return null;
            }

            var created = Insert(scope, linked, parameters);
            var link = scope.Command("UPDATE jobs SET retried_by = $by, version = version + 1 WHERE id = $id RETURNING version");
            link.Parameters.AddWithValue("$by", created);
            link.Parameters.AddWithValue("$id", jobId);
            scope.Changed(jobId, JobStatuses.Parse(status), (long)link.ExecuteScalar()!);
            return (JobRecord?)linked.Stored(created, JobRowMapper.Time(scope.NowMs));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ResolveResult> ResolveAsync(long jobId, JobResolution resolution, NewJob? linked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var parameters = linked?.Parameters.ToJsonString();
        return Writer.WriteAsync(scope =>
        {
            var ended = scope.Command($"SELECT status FROM jobs WHERE id = $id AND resolution IS NULL AND status NOT IN ('{NotStarted}', '{Running}')");
            ended.Parameters.AddWithValue("$id", jobId);
            if (ended.ExecuteScalar() is not string status)
            {
                return new ResolveResult(false, null);
            }

            var created = linked is null ? (long?)null : Insert(scope, linked, parameters!);
            var resolve = scope.Command("UPDATE jobs SET resolution = $resolution, version = version + 1 WHERE id = $id RETURNING version");
            resolve.Parameters.AddWithValue("$resolution", StoredJson.Write(resolution with { JobId = created })!);
            resolve.Parameters.AddWithValue("$id", jobId);
            scope.Changed(jobId, JobStatuses.Parse(status), (long)resolve.ExecuteScalar()!);
            return new ResolveResult(true, created is { } id ? linked!.Stored(id, JobRowMapper.Time(scope.NowMs)) : null);
        }, cancellationToken);
    }

    // Stores a NOT_STARTED job in the scope's transaction; returns its id.
    private static long Insert(SqliteWriteScope scope, NewJob job, string parameters)
    {
        var insert = scope.Command(
            "INSERT INTO jobs (status, operation, op_group, target, target_key, parameters, submitter, idempotency_key, time_submitted, " +
            "not_before, target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s, retry_of, trace_parent, priority, rerun_of, resumes, reverts, schedule_id) " +
            "VALUES ($status, $op, $group, $target, $targetKey, $params, $submitter, $key, $now, $notBefore, $targetLimit, $opLimit, " +
            "$busyRetry, $waitDeadline, $waitRetry, $retryOf, $traceParent, $priority, $rerunOf, $resumes, $reverts, $scheduleId) RETURNING id");
        var p = insert.Parameters;
        p.AddWithValue("$status", NotStarted);
        p.AddWithValue("$op", job.Operation);
        p.AddWithValue("$group", job.Group);
        p.AddWithValue("$target", JobRowMapper.Db(job.Target));
        p.AddWithValue("$targetKey", JobRowMapper.Db(job.TargetKey));
        p.AddWithValue("$params", parameters);
        p.AddWithValue("$submitter", JobRowMapper.Db(job.Submitter));
        p.AddWithValue("$key", JobRowMapper.Db(job.IdempotencyKey));
        p.AddWithValue("$now", scope.NowMs);
        p.AddWithValue("$notBefore", JobRowMapper.Db(job.NotBefore?.ToUnixTimeMilliseconds()));
        p.AddWithValue("$targetLimit", job.TargetLimit);
        p.AddWithValue("$opLimit", JobRowMapper.Db(job.OperationLimit));
        p.AddWithValue("$busyRetry", JobRowMapper.Db(job.BusyRetryAfterSeconds));
        p.AddWithValue("$waitDeadline", JobRowMapper.Db(job.BusyMaxWait is { } wait ? scope.NowMs + (long)wait.TotalMilliseconds : null));
        p.AddWithValue("$waitRetry", job.BusyWaitRetryAfterSeconds);
        p.AddWithValue("$retryOf", JobRowMapper.Db(job.RetryOf));
        p.AddWithValue("$traceParent", JobRowMapper.Db(job.TraceParent));
        p.AddWithValue("$priority", job.Priority);
        p.AddWithValue("$rerunOf", JobRowMapper.Db(job.RerunOf));
        p.AddWithValue("$resumes", JobRowMapper.Db(job.Resumes));
        p.AddWithValue("$reverts", JobRowMapper.Db(job.Reverts));
        p.AddWithValue("$scheduleId", JobRowMapper.Db(job.ScheduleId));
        var id = (long)insert.ExecuteScalar()!;
        scope.Changed(id, JobStatus.NotStarted, 1);
        return id;
    }

    /// <inheritdoc />
    public async Task<JobRecord?> GetAsync(long jobId, bool includeHistory, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        // Deferred: a read never takes the write lock (an immediate transaction would queue behind the writer).
        await using var transaction = connection.BeginTransaction(deferred: true);
        var job = _claims.WithClaim(await ReadOneAsync(connection, $"SELECT {JobRowMapper.Columns} FROM jobs WHERE id = $id", jobId, cancellationToken).ConfigureAwait(false));
        if (job is null || !includeHistory)
        {
            return job;
        }

        return job with { History = StoredJobRow.History(job, await ReadHistoryAsync(connection, jobId, cancellationToken).ConfigureAwait(false)) };
    }

    /// <inheritdoc />
    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("1 = 1");
        var index = string.Empty;
        if (query.Statuses.Distinct().ToArray() is [var only] && !only.IsTerminal())
        {
            // Only waiting, or only running jobs: read that status's small index, not every job kept (migration 011).
            index = only == JobStatus.NotStarted ? " INDEXED BY jobs_list_not_started" : " INDEXED BY jobs_list_running";
            where.Append($" AND status = '{only.ToWire()}'");
        }
        else if (query.Statuses.Count > 0)
        {
            where.Append(" AND status IN (SELECT value FROM json_each($statuses))");
            command.Parameters.AddWithValue("$statuses", JsonSerializer.Serialize(query.Statuses.Select(s => s.ToWire())));
        }

        AddFilter(command, where, "operation", "$operation", query.Operation);
        AddFilter(command, where, "op_group", "$group", query.Group);
        AddFilter(command, where, "target", "$target", query.Target);
        AddFilter(command, where, "submitter", "$submitter", query.Submitter);
        if (query.SubmittedFrom is { } from)
        {
            where.Append(" AND time_submitted >= $from");
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        }

        if (query.SubmittedTo is { } to)
        {
            where.Append(" AND time_submitted < $to");
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        }

        if (query.ScheduleId is { } scheduleId)
        {
            where.Append(" AND schedule_id = $scheduleId");
            command.Parameters.AddWithValue("$scheduleId", scheduleId);
        }

        if (query.Resolved is { } resolved)
        {
            where.Append(resolved ? " AND resolution IS NOT NULL" : " AND resolution IS NULL");
        }

        if (query.BeforeId is { } before)
        {
            where.Append(" AND id < $before");
            command.Parameters.AddWithValue("$before", before);
        }

        command.CommandText = $"SELECT {JobRowMapper.Columns} FROM jobs{index} WHERE {where} ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.FetchSize);
        var jobs = new List<JobRecord>(query.FetchSize);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(_claims.WithClaim(JobRowMapper.Read(reader))!);
            }
        }

        return JobPage.FromFetched(jobs, query);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string node, int maxJobs, CancellationToken cancellationToken) =>
        ClaimAsync(node, maxJobs, runAlone: null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedJob>> ClaimWithNextSubmitAsync(string node, int maxJobs, Task claimAlone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimAlone);
        return ClaimAsync(node, maxJobs, claimAlone, cancellationToken);
    }

    private async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string node, int maxJobs, Task? runAlone, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxJobs, 1);
        // Answered after its batch commits, though a claim writes nothing unless it ends blocked jobs: answered
        // at once, the dispatcher claimed twice as often, a few jobs at a time, and submits and runs together were no faster.
        // One claim in JobPriority.OldestFirstEvery takes the jobs in submit order: no low-priority job starves.
        var oldestFirst = Interlocked.Increment(ref _claimsMade) % JobPriority.OldestFirstEvery == 0;
        Func<SqliteWriteScope, (long Attempt, IReadOnlyList<string> Rows)> claim = scope => SqliteClaim.Run(scope, node, maxJobs, oldestFirst);
        var (attempt, rows) = await (runAlone is null
            ? Writer.WriteAsync(claim, cancellationToken, WriteKind.Claim)
            : Writer.WriteWithNextSubmitAsync(claim, runAlone, cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => new ClaimedJob(JobRowMapper.FromJson(row) with { Node = node }, attempt)).ToArray();
    }

    /// <inheritdoc />
    public async Task<bool> StartAsync(long jobId, long attempt, CancellationToken cancellationToken)
    {
        var start = await Writer.WriteAsync(scope => scope.Starts.Add(scope.Claims, jobId, attempt), cancellationToken).ConfigureAwait(false);
        return start.Applied;
    }

    /// <inheritdoc />
    public Task<bool> ReleaseAsync(long jobId, long attempt, CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope =>
        {
            if (!scope.Claims.Holds(jobId, attempt))
            {
                return false;
            }

            scope.ReturnToQueue(jobId);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ReportProgressAsync(long jobId, long attempt, JobSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var progress = StoredJson.Write(snapshot.Progress);
        var results = StoredJson.Write(snapshot.Results);
        var messages = StoredJson.Write(snapshot.Messages);
        return Writer.WriteAsync(scope =>
        {
            var update = scope.Command(
                "UPDATE jobs SET progress = $progress, results = $results, messages = $messages, version = version + 1 " +
                $"WHERE id = $id AND status = '{Running}' AND attempt = $attempt RETURNING version");
            update.Parameters.AddWithValue("$progress", JobRowMapper.Db(progress));
            update.Parameters.AddWithValue("$results", JobRowMapper.Db(results));
            update.Parameters.AddWithValue("$messages", JobRowMapper.Db(messages));
            update.Parameters.AddWithValue("$id", jobId);
            update.Parameters.AddWithValue("$attempt", attempt);
            if (update.ExecuteScalar() is not long version)
            {
                return false;
            }

            scope.Changed(jobId, JobStatus.Running, version);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<FinishResult> FinishAsync(long jobId, long attempt, JobFinish finish, CancellationToken cancellationToken)
    {
        var from = JobEnds.From(finish);
        if (!JobEnds.IsAllowed(finish))
        {
            return await Writer.WriteAsync(scope => new FinishResult(false, ReadJob(scope, jobId)), cancellationToken).ConfigureAwait(false);
        }

        if (from == JobStatus.NotStarted)
        {
            return await Writer.WriteAsync(scope => SqliteFailToStart.Run(scope, jobId, attempt, finish), cancellationToken).ConfigureAwait(false);
        }

        var row = SqliteMergedFinishes.Row(jobId, attempt, from, finish);
        var ticket = await Writer.WriteAsync(scope => scope.Finishes.Add(jobId, from, finish, row), cancellationToken).ConfigureAwait(false);
        return ticket.Result;
    }

    /// <inheritdoc />
    public Task<CancelResult> CancelAsync(long jobId, string? actor, CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope =>
        {
            var read = scope.Command("SELECT status FROM jobs WHERE id = $id");
            read.Parameters.AddWithValue("$id", jobId);
            if (read.ExecuteScalar() is not string wire)
            {
                return new CancelResult(CancelOutcome.NotFound, null);
            }

            var status = JobStatuses.Parse(wire);
            switch (status)
            {
                case JobStatus.NotStarted:
                    var cancel = scope.Command(
                        $"UPDATE jobs SET status = '{JobStatus.CanceledBeforeStart.ToWire()}', time_completed = $now, cancel_requested = 1, " +
                        "cancel_requested_by = $actor, results = $results, version = version + 1 " +
                        $"WHERE id = $id AND status = '{NotStarted}' RETURNING version");
                    cancel.Parameters.AddWithValue("$now", scope.NowMs);
                    cancel.Parameters.AddWithValue("$actor", JobRowMapper.Db(actor));
                    cancel.Parameters.AddWithValue("$results", StoredJson.Write(JobEnds.FailureResults(JobEnds.CanceledBeforeStart)));
                    cancel.Parameters.AddWithValue("$id", jobId);
                    var version = (long)cancel.ExecuteScalar()!;
                    scope.RecordTransition(jobId, JobStatus.NotStarted, JobStatus.CanceledBeforeStart, null, actor, JobEnds.CanceledBeforeStart);
                    scope.EndClaim(jobId);
                    scope.Changed(jobId, JobStatus.CanceledBeforeStart, version);
                    return new CancelResult(CancelOutcome.CanceledBeforeStart, ReadJob(scope, jobId));
                case JobStatus.Running:
                    var request = scope.Command(
                        "UPDATE jobs SET cancel_requested = 1, cancel_requested_by = $actor, version = version + 1 " +
                        $"WHERE id = $id AND status = '{Running}' AND cancel_requested = 0 RETURNING version");
                    request.Parameters.AddWithValue("$actor", JobRowMapper.Db(actor));
                    request.Parameters.AddWithValue("$id", jobId);
                    if (request.ExecuteScalar() is long requestedVersion)
                    {
                        scope.Changed(jobId, JobStatus.Running, requestedVersion);
                    }

                    return new CancelResult(CancelOutcome.Requested, ReadJob(scope, jobId));
                default:
                    return new CancelResult(CancelOutcome.AlreadyTerminal, ReadJob(scope, jobId));
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task<int> PurgeAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope =>
        {
            var delete = scope.Command(
                $"DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE status NOT IN ('{NotStarted}', '{Running}') AND time_completed < $before ORDER BY id LIMIT $limit) RETURNING id");
            delete.Parameters.AddWithValue("$before", endedBefore.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$limit", limit);
            var ids = new List<long>();
            using (var reader = delete.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            if (ids.Count > 0)
            {
                var history = scope.Command("DELETE FROM job_transitions WHERE job_id IN (SELECT value FROM json_each($ids))");
                history.Parameters.AddWithValue("$ids", "[" + string.Join(',', ids) + "]");
                history.ExecuteNonQuery();
                foreach (var id in ids)
                {
                    scope.Changed(id, null, long.MaxValue);
                }
            }

            return ids.Count;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<DeleteOutcome> DeleteAsync(long jobId, CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope =>
        {
            var read = scope.Command("SELECT status FROM jobs WHERE id = $id");
            read.Parameters.AddWithValue("$id", jobId);
            if (read.ExecuteScalar() is not string wire)
            {
                return DeleteOutcome.NotFound;
            }

            if (!JobStatuses.Parse(wire).IsTerminal())
            {
                return DeleteOutcome.NotTerminal;
            }

            var deleteJob = scope.Command($"DELETE FROM jobs WHERE id = $id AND status NOT IN ('{NotStarted}', '{Running}')");
            deleteJob.Parameters.AddWithValue("$id", jobId);
            deleteJob.ExecuteNonQuery();
            var deleteHistory = scope.Command("DELETE FROM job_transitions WHERE job_id = $id");
            deleteHistory.Parameters.AddWithValue("$id", jobId);
            deleteHistory.ExecuteNonQuery();
            scope.Changed(jobId, null, long.MaxValue);
            return DeleteOutcome.Deleted;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<RecoveryResult> RecoverAsync(string? node, string message, CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope => SqliteRecovery.Run(scope, node, message), cancellationToken);

    /// <inheritdoc />
    public Task<JobRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        ReadJobByKeyAsync($"SELECT {JobRowMapper.Columns} FROM jobs INDEXED BY jobs_idempotency_key WHERE idempotency_key = $key", idempotencyKey, cancellationToken);

    // The first job a select with one $key parameter finds, or null.
    private async Task<JobRecord?> ReadJobByKeyAsync(string sql, string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? _claims.WithClaim(JobRowMapper.Read(reader)) : null;
    }

    /// <inheritdoc />
    public async Task<long> CountQueuedAheadAsync(long jobId, int cap, CancellationToken cancellationToken)
    {
        // Claimed jobs are still in the queue's rows (their claim is in memory): not counted.
        var claimedAhead = _claims.CountBefore(jobId);
        // The queue is two indexes (migration 011): the jobs without a start time, and those with one.
        var rows = await ScalarAsync(
            $"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM jobs INDEXED BY jobs_queue WHERE {QueuedNow} AND id < $id LIMIT $cap)) + " +
            $"(SELECT COUNT(*) FROM (SELECT 1 FROM jobs INDEXED BY jobs_queue_scheduled WHERE {Queued} AND not_before IS NOT NULL AND id < $id LIMIT $cap))",
            cancellationToken, ("$id", jobId), ("$cap", cap + claimedAhead)).ConfigureAwait(false);
        return Math.Clamp(rows - claimedAhead, 0, cap);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM jobs GROUP BY status";
        var counts = JobStatuses.All.ToDictionary(s => s, _ => 0L);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[JobStatuses.Parse(reader.GetString(0))] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        _ = Writer;
        await ScalarAsync("SELECT COUNT(*) FROM schema_migrations", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }

        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync().ConfigureAwait(false);
            _checkpointer = null;
        }

        if (_writerConnection is not null)
        {
            await _writerConnection.DisposeAsync().ConfigureAwait(false);
            _writerConnection = null;
        }

        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        if (_ownerLock is not null)
        {
            await _ownerLock.DisposeAsync().ConfigureAwait(false);
            _ownerLock = null;
        }
    }

    internal static JobRecord? ReadJob(SqliteWriteScope scope, long jobId)
    {
        var select = scope.Command($"SELECT {JobRowMapper.Columns} FROM jobs WHERE id = $id");
        select.Parameters.AddWithValue("$id", jobId);
        using var reader = select.ExecuteReader();
        return reader.Read() ? scope.Claims.WithClaim(JobRowMapper.Read(reader)) : null;
    }

    // One node owns a file: a second node on it would take the first one's RUNNING jobs for dead.
    private static FileStream TakeOwnership(string path)
    {
        var lockPath = System.IO.Path.GetFullPath(path) + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Another Jobwright node is using {path} (its lock {lockPath} is held). Stop that node, or give this one another file.", e);
        }
    }

    private static void Pragma(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }

    private static void AddFilter(SqliteCommand command, StringBuilder where, string column, string name, string? value)
    {
        if (value is not null)
        {
            where.Append($" AND {column} = {name}");
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static async Task<JobRecord?> ReadOneAsync(SqliteConnection connection, string sql, long id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? JobRowMapper.Read(reader) : null;
    }

    private static async Task<IReadOnlyList<JobTransition>> ReadHistoryAsync(SqliteConnection connection, long jobId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT time, from_status, to_status, node, actor, reason FROM job_transitions WHERE job_id = $id ORDER BY rowid";
        command.Parameters.AddWithValue("$id", jobId);
        var history = new List<JobTransition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            history.Add(StoredJobRow.Transition(reader));
        }

        return history;
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        _ = Writer;
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
