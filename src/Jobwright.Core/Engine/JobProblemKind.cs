namespace Jobwright.Engine;

/// <summary>The kinds of refused request; each has a stable problem type and HTTP status.</summary>
public enum JobProblemKind
{
    /// <summary>A field is missing or invalid (400).</summary>
    InvalidRequest,
    /// <summary>No operation of that name (404).</summary>
    UnknownOperation,
    /// <summary>No job with that id (404).</summary>
    JobNotFound,
    /// <summary>The job's status does not allow it (409).</summary>
    Conflict,
    /// <summary>Too many jobs are waiting: try again shortly (503 with Retry-After).</summary>
    QueueFull,
    /// <summary>No schedule with that id (404).</summary>
    ScheduleNotFound,
}
