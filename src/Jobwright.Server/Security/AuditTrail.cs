using Jobwright.Model;
using Jobwright.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>
/// Writes the audit records of a node with authentication: every submit, cancel, delete and logon (a
/// failed one too), with who, from where, what and how it ended. A node without authentication has no
/// principals to tell apart and keeps no audit trail.
/// </summary>
internal sealed partial class AuditTrail(IAuditLog log, IOptions<JobwrightSecurityOptions> security, TimeProvider time, ILogger<AuditTrail> logger)
{
    public const string Ok = "ok";
    public const string Refused = "refused";

    public bool Enabled => security.Value.Enabled;

    public Task RecordAsync(HttpContext http, string action, string? subject, string outcome, string? detail = null) =>
        RecordAsync(http, JobwrightCaller.From(http).Name, action, subject, outcome, detail);

    /// <summary>Records an action; a record that cannot be written is logged, and the action it tells of stands.</summary>
    public Task RecordAsync(HttpContext http, string actor, string action, string? subject, string outcome, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        return RecordAsync(http.Connection.RemoteIpAddress?.ToString(), actor, action, subject, outcome, detail);
    }

    /// <summary>Records what the node saw happen outside a request (a key added to its keys file, say).</summary>
    public async Task RecordAsync(string? source, string actor, string action, string? subject, string outcome, string? detail = null)
    {
        if (!Enabled)
        {
            return;
        }

        var record = new AuditRecord
        {
            Time = time.GetUtcNow(),
            Actor = actor,
            Source = source,
            Action = action,
            Subject = subject,
            Outcome = outcome,
            Detail = detail,
        };
        try
        {
            await log.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreUnavailableException or NotSupportedException or InvalidOperationException)
        {
            NotWritten(logger, action, subject, outcome, e.Message);
        }
    }

    [LoggerMessage(1300, LogLevel.Warning, "An audit record was not written ({Action} {Subject}: {Outcome}): {Reason}")]
    private static partial void NotWritten(ILogger logger, string action, string? subject, string outcome, string reason);
}
