using Jobwright.Status;

namespace Jobwright.Model;

/// <summary>A message about a job: severity, a stable code and a sentence.</summary>
public sealed record JobMessage(MessageSeverity Severity, string Code, string Text);
