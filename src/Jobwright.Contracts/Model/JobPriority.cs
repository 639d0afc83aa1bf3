namespace Jobwright.Model;

/// <summary>
/// The range of a job's priority. Higher starts first among the jobs that may start; one claim in
/// <see cref="OldestFirstEvery"/> takes the jobs that have waited longest instead, so no job starves.
/// </summary>
public static class JobPriority
{
    /// <summary>The lowest priority a submit may give.</summary>
    public const int Lowest = -1000;

    /// <summary>The highest priority a submit may give.</summary>
    public const int Highest = 1000;

    /// <summary>One claim in this many is made in submit order (oldest first), whatever the priorities.</summary>
    public const int OldestFirstEvery = 4;
}
