using System.Text.Json.Nodes;

namespace Jobwright.Server.Redfish;

/// <summary>
/// Messages of the DMTF registries Jobwright speaks (Base and TaskEvent), and of its own (<c>Jobwright</c>,
/// for a job's own messages and its not-started reason), as Redfish <c>Message</c> objects.
/// </summary>
internal static class RedfishMessages
{
    public const string Base = "Base.1.19.";
    public const string TaskEvent = "TaskEvent.1.0.";
    public const string Jobwright = "Jobwright.1.0.";

    public static JsonObject Message(string messageId, string text, string severity, string? resolution = null, params string[] args)
    {
        var message = new JsonObject
        {
            ["@odata.type"] = "#Message.v1_2_0.Message",
            ["MessageId"] = messageId,
            ["Message"] = text,
            ["MessageSeverity"] = severity,
            // Severity is deprecated in favour of MessageSeverity, but older clients still read it.
            ["Severity"] = severity,
            ["Resolution"] = resolution ?? "None.",
        };
        if (args.Length > 0)
        {
            message["MessageArgs"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]);
        }

        return message;
    }

    /// <summary>The Base registry's message for a refused request of this status (and, for a 400, this problem).</summary>
    public static string BaseIdFor(int status, string? problemType) => Base + (status switch
    {
        400 when problemType == Api.ProblemTypes.MalformedJson => "MalformedJSON",
        400 => "GeneralError",
        401 => "NoValidSession",
        403 => "InsufficientPrivilege",
        404 => "ResourceMissingAtURI",
        409 => "ResourceInUse",
        503 => "ServiceTemporarilyUnavailable",
        >= 500 => "InternalError",
        _ => "GeneralError",
    });
}
