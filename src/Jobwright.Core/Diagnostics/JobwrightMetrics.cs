using System.Diagnostics.Metrics;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Diagnostics;

/// <summary>
/// The instruments of the <see cref="JobwrightDiagnostics.MeterName"/> meter, one set per node (made from the
/// host's <see cref="IMeterFactory"/>). The engine records jobs, workers and the cluster; a store records its
/// commits through <see cref="RecordCommit"/>. docs/observability.md lists every instrument.
/// </summary>
public sealed class JobwrightMetrics
{
    private readonly Counter<long>? _submitted;
    private readonly Counter<long>? _started;
    private readonly Counter<long>? _finished;
    private readonly Histogram<double>? _runDuration;
    private readonly Histogram<double>? _startLatency;
    private readonly Histogram<double>? _commitDuration;
    private readonly Histogram<long>? _commitJobs;
    private readonly Counter<long>? _leaseRenewals;
    private readonly Counter<long>? _nodesLost;
    // Bucket bounds in the instruments' own units: jobs take milliseconds to hours, commits well under a second.
    private static readonly InstrumentAdvice<double> JobSeconds = new() { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] };
    private static readonly InstrumentAdvice<double> CommitSeconds = new() { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] };
    private static readonly InstrumentAdvice<long> JobsPerCommit = new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] };
    private volatile NodeGauges? _gauges;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/>, or on a meter of their own when there is none.</summary>
    public JobwrightMetrics(IMeterFactory? meterFactory)
        : this(meterFactory, enabled: true)
    {
    }

    internal JobwrightMetrics(IMeterFactory? meterFactory, bool enabled)
    {
        Enabled = enabled;
        if (!enabled)
        {
            // Off: no meter, so no listener sees an instrument of this node.
            return;
        }

        var options = new MeterOptions(JobwrightDiagnostics.MeterName) { Version = NodeInfo.CurrentVersion };
        var meter = meterFactory?.Create(options) ?? new Meter(options);
        _submitted = meter.CreateCounter<long>("jobwright.jobs.submitted", "{job}", "Jobs submitted to this node.");
        _started = meter.CreateCounter<long>("jobwright.jobs.started", "{job}", "Jobs this node moved to RUNNING.");
        _finished = meter.CreateCounter<long>("jobwright.jobs.finished", "{job}", "Jobs whose end this node wrote, by final status.");
        _runDuration = meter.CreateHistogram("jobwright.job.duration", "s", "How long a job ran, from RUNNING to its end.", advice: JobSeconds);
        _startLatency = meter.CreateHistogram("jobwright.job.start_latency", "s", "How long a job waited, from its submit to RUNNING.", advice: JobSeconds);
        _commitDuration = meter.CreateHistogram("jobwright.store.commit.duration", "s", "How long one store commit (one batch of writes) took.", advice: CommitSeconds);
        _commitJobs = meter.CreateHistogram("jobwright.store.commit.jobs", "{job}", "Job writes (submits, starts, progress, ends) in one store commit.", advice: JobsPerCommit);
        _leaseRenewals = meter.CreateCounter<long>("jobwright.cluster.lease.renewals", "{renewal}", "Heartbeats that renewed this node's lease.");
        _nodesLost = meter.CreateCounter<long>("jobwright.cluster.nodes.lost", "{node}", "Nodes found lost (their lease ran out), this node included.");
        meter.CreateObservableGauge("jobwright.jobs", () => Gauges(g => g.Census().ByStatus), "{job}", "Jobs in the store, by status.");
        meter.CreateObservableGauge("jobwright.jobs.waiting", () => Gauges(g => g.Census().Waiting), "{job}", "NOT_STARTED jobs, by the reason they wait.");
        meter.CreateObservableGauge("jobwright.jobs.waiting.oldest_age", () => Gauges(g => g.Census().OldestAge), "s", "How long the oldest NOT_STARTED job of each reason has waited.");
        meter.CreateObservableGauge("jobwright.jobs.running", () => Gauges(g => [new Measurement<long>(g.Running())]), "{job}", "Jobs whose handler runs on this node.");
        meter.CreateObservableGauge("jobwright.worker_slots", () => Gauges(g => [new Measurement<long>(g.Slots)]), "{slot}", "Worker slots of this node.");
        meter.CreateObservableGauge("jobwright.worker_slots.free", () => Gauges(g => [new Measurement<long>(Math.Max(0, g.Slots - g.Active()))]), "{slot}", "Worker slots of this node that hold no job.");
    }

    /// <summary>False when the node's <c>JobwrightOptions.Telemetry</c> is off: nothing is recorded, no span is made.</summary>
    public bool Enabled { get; }

    /// <summary>Records one store commit: how long it took and how many job writes it held.</summary>
    public void RecordCommit(string store, TimeSpan duration, int jobWrites)
    {
        var tag = new KeyValuePair<string, object?>(SpanAttributes.Store, store);
        _commitDuration?.Record(duration.TotalSeconds, tag);
        _commitJobs?.Record(jobWrites, tag);
    }

    internal void Submitted(string operation)
    {
        _submitted?.Add(1, Tag(SpanAttributes.Operation, operation));
    }

    internal void Started(string operation, TimeSpan waited)
    {
        var tag = Tag(SpanAttributes.Operation, operation);
        _started?.Add(1, tag);
        _startLatency?.Record(Math.Max(0, waited.TotalSeconds), tag);
    }

    internal void Finished(string operation, JobStatus status, TimeSpan? ran)
    {
        if (!Enabled)
        {
            return;
        }

        var operationTag = Tag(SpanAttributes.Operation, operation);
        var statusTag = Tag(SpanAttributes.Status, status.ToWire());
        _finished?.Add(1, operationTag, statusTag);
        if (ran is { } duration)
        {
            _runDuration?.Record(Math.Max(0, duration.TotalSeconds), operationTag, statusTag);
        }
    }

    internal void LeaseRenewed() => _leaseRenewals?.Add(1);

    /// <summary>A cluster node's counters start at 0, so a scrape shows them before their first event.</summary>
    internal void JoinedCluster()
    {
        _leaseRenewals?.Add(0);
        _nodesLost?.Add(0);
    }

    internal void NodesLost(int count) => _nodesLost?.Add(count);

    /// <summary>Gives the gauges the node they read.</summary>
    internal void Observe(NodeGauges gauges) => _gauges = Enabled ? gauges : null;

    private IEnumerable<Measurement<long>> Gauges(Func<NodeGauges, IEnumerable<Measurement<long>>> read) => _gauges is { } gauges ? read(gauges) : [];

    private IEnumerable<Measurement<double>> Gauges(Func<NodeGauges, IEnumerable<Measurement<double>>> read) => _gauges is { } gauges ? read(gauges) : [];

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
