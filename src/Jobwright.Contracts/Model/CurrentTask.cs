namespace Jobwright.Model;

/// <summary>The task a running job is on now.</summary>
public sealed record CurrentTask(string Name, int? Percent, DateTimeOffset TimeStarted);
