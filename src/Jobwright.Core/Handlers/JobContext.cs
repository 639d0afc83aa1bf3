using Jobwright.Diagnostics;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Microsoft.Extensions.Logging;

namespace Jobwright.Handlers;

/// <summary>What a handler knows of its job, and how it reports tasks, messages and results.</summary>
public sealed class JobContext
{
    private readonly Lock _gate = new();
    private readonly List<TaskRecord> _completedTasks = [];
    private readonly Dictionary<string, string> _results = new(StringComparer.Ordinal);
    private readonly List<JobMessage> _messages = [];
    private readonly TimeProvider _time;
    private readonly Action _changed;
    private CurrentTask? _currentTask;
    private int? _expectedTaskCount;

    private readonly Func<string> _stopReason;
    private readonly JobLineage _lineage;

    internal JobContext(
        JobRecord job, OperationDefinition operation, JobParameters parameters, ILogger logger, TimeProvider time, Action changed,
        Func<string>? stopReason = null, JobLineage? lineage = null)
    {
        _stopReason = stopReason ?? (() => "stopped by cancel");
        _lineage = lineage ?? JobLineage.None;
        JobId = job.JobId;
        Target = job.Target;
        Operation = operation;
        Parameters = parameters;
        Logger = logger;
        _time = time;
        _changed = changed;
    }

    /// <summary>The job's id.</summary>
    public long JobId { get; }

    /// <summary>What the job acts on, or null.</summary>
    public string? Target { get; }

    /// <summary>The operation being run.</summary>
    public OperationDefinition Operation { get; }

    /// <summary>The validated, typed parameters.</summary>
    public JobParameters Parameters { get; }

    /// <summary>A logger for this job.</summary>
    public ILogger Logger { get; }

    /// <summary>The job this one completes (a complete job), or null: its tasks that ended OK are skipped by <see cref="RunTaskAsync(string, Func{JobTask, CancellationToken, Task}, CancellationToken)"/>.</summary>
    public long? Resumes => _lineage.Resumes;

    /// <summary>The job this one reverts (a revert job), or null.</summary>
    public long? Reverts => _lineage.Reverts;

    /// <summary>In a revert job: the tasks to undo, the reverted job's OK tasks, last first. Empty otherwise.</summary>
    public IReadOnlyList<TaskRecord> TasksToRevert => _lineage.ToRevert();

    /// <summary>In a complete job: whether the task of that name ended OK in the job being completed, and so is skipped.</summary>
    public bool DoneBefore(string taskName) => _lineage.DoneBefore(taskName);

    /// <summary>Declares how many tasks the job will run, so that the overall fraction can be shown.</summary>
    public void SetExpectedTaskCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _expectedTaskCount = count;
        }

        _changed();
    }

    /// <summary>
    /// Runs one task. It ends OK when <paramref name="body"/> returns (or as the body set with
    /// <see cref="JobTask.Warn"/> / <see cref="JobTask.Fail"/>), CANCELED when it throws because of
    /// cancellation, FAILED when it throws anything else; exceptions are rethrown. In a complete job, a task
    /// that ended OK in the job being completed is not run: it is recorded SKIPPED, "done by job N".
    /// </summary>
    public async Task RunTaskAsync(string name, Func<JobTask, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        await RunTaskAsync<object?>(name, async (task, ct) =>
        {
            await body(task, ct).ConfigureAwait(false);
            return null;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one task that produces a value; see the other overload.</summary>
    public async Task<T> RunTaskAsync<T>(string name, Func<JobTask, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(body);
        if (_lineage.DoneBefore(name))
        {
            SkipTask(name, $"done by job {_lineage.Resumes}");
            return default!;
        }

        var task = new JobTask(this, name, _time.GetUtcNow());
        lock (_gate)
        {
            _currentTask = new CurrentTask(name, null, task.TimeStarted);
        }

        _changed();
        var span = JobTracing.StartTask(name);
        try
        {
            var value = await body(task, cancellationToken).ConfigureAwait(false);
            EndTask(task, task.ExplicitStatus ?? JobTaskStatus.Ok, task.Message, span);
            return value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Canceled by the user, by the timeout or by the node's stop: the task says which.
            EndTask(task, JobTaskStatus.Canceled, _stopReason(), span);
            throw;
        }
        catch (Exception e)
        {
            EndTask(task, JobTaskStatus.Failed, e.Message, span);
            throw;
        }
    }

    /// <summary>Records a task that was not run.</summary>
    public void SkipTask(string name, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _completedTasks.Add(new TaskRecord(name, JobTaskStatus.Skipped, null, now, reason));
        }

        _changed();
    }

    /// <summary>Records a message on the job.</summary>
    public void AddMessage(MessageSeverity severity, string code, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        lock (_gate)
        {
            _messages.Add(new JobMessage(severity, code, text));
        }

        _changed();
    }

    /// <summary>Records a warning message; a job with warnings can still be COMPLETED_OK.</summary>
    public void Warn(string text, string code = "WARNING") => AddMessage(MessageSeverity.Warning, code, text);

    /// <summary>Sets a named result, e.g. <c>returnCode</c>.</summary>
    public void SetResult(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _results[name] = value;
        }

        _changed();
    }

    internal void ReportPercent(JobTask task, int percent)
    {
        lock (_gate)
        {
            if (_currentTask is null || _currentTask.Name != task.Name || _currentTask.Percent == percent)
            {
                return;
            }

            _currentTask = _currentTask with { Percent = percent };
        }

        _changed();
    }

    internal JobSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new JobSnapshot(
                new JobProgress(_completedTasks.ToArray(), _currentTask, Fraction()),
                new Dictionary<string, string>(_results, StringComparer.Ordinal),
                _messages.ToArray());
        }
    }

    private void EndTask(JobTask task, JobTaskStatus status, string? message, System.Diagnostics.Activity? span)
    {
        JobTracing.EndTask(span, status, message);
        lock (_gate)
        {
            _completedTasks.Add(new TaskRecord(task.Name, status, task.TimeStarted, _time.GetUtcNow(), message));
            if (_currentTask?.Name == task.Name)
            {
                _currentTask = null;
            }
        }

        _changed();
    }

    private double? Fraction()
    {
        if (_expectedTaskCount is not { } expected || expected == 0)
        {
            return null;
        }

        var done = _completedTasks.Count + ((_currentTask?.Percent ?? 0) / 100.0);
        return Math.Min(1.0, Math.Round(done / expected, 4));
    }
}
