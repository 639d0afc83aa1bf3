using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>A job a node has claimed; every later write for it carries the attempt token.</summary>
public sealed record ClaimedJob(JobRecord Job, long Attempt);
