using System.Text.Json.Nodes;
using Jobwright.Operations;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Redfish;

/// <summary>Redfish error responses (DSP0266 "Error responses"): <c>error.code</c>, <c>error.message</c> and <c>@Message.ExtendedInfo</c>.</summary>
internal static class RedfishErrors
{
    public static IResult Error(int status, string messageId, string message, params JsonObject[] extendedInfo)
    {
        var info = extendedInfo.Length > 0
            ? extendedInfo
            : [RedfishMessages.Message(messageId, message, status >= 500 ? "Critical" : "Warning")];
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = messageId,
                ["message"] = message,
                ["@Message.ExtendedInfo"] = new JsonArray([.. info]),
            },
        };
        return RedfishJson.Result(body, status);
    }

    /// <summary>A refusal the JSON API would answer as problem details, in Redfish's words; each wrong field is one message naming it.</summary>
    public static IResult FromProblem(int status, string problemType, string detail, IReadOnlyList<FieldError>? errors)
    {
        var messageId = RedfishMessages.BaseIdFor(status, problemType);
        var severity = status >= 500 ? "Critical" : "Warning";
        var info = errors is { Count: > 0 }
            ? errors.Select(e => RedfishMessages.Message(messageId, $"{e.Field}: {e.Message}", severity, "Correct the request and resubmit it.", e.Field)).ToArray()
            : [RedfishMessages.Message(messageId, detail, severity)];
        return Error(status, messageId, detail, info);
    }

    public static IResult PropertyUnknown(string property, string allowed) => Error(400, RedfishMessages.Base + "PropertyUnknown",
        $"The property {property} is not a known property of this request.",
        RedfishMessages.Message(RedfishMessages.Base + "PropertyUnknown", $"The property {property} is not in the list of valid properties for the resource.", "Warning",
            $"Remove the unknown property from the request body; this request takes {allowed}.", property));

    public static IResult PropertyValueNotInList(string property, string value, IEnumerable<string> allowed) => Error(400, RedfishMessages.Base + "PropertyValueNotInList",
        $"The value '{value}' for the property {property} is not in the list of acceptable values.",
        RedfishMessages.Message(RedfishMessages.Base + "PropertyValueNotInList", $"The value '{value}' for the property {property} is not in the list of acceptable values.", "Warning",
            $"Choose one of: {string.Join(", ", allowed)}.", value, property));

    public static IResult PropertyValueTypeError(string property, string value, string expected) => Error(400, RedfishMessages.Base + "PropertyValueTypeError",
        $"The value '{value}' for the property {property} is not of the type it must be ({expected}).",
        RedfishMessages.Message(RedfishMessages.Base + "PropertyValueTypeError", $"The value '{value}' for the property {property} is of a different type than the property can accept.", "Warning",
            $"Send {property} as {expected}.", value, property));

    public static IResult NotFound(HttpRequest request) => Error(404, RedfishMessages.Base + "ResourceMissingAtURI",
        $"The resource at the URI {request.Path} was not found.",
        RedfishMessages.Message(RedfishMessages.Base + "ResourceMissingAtURI", $"The resource at the URI {request.Path} was not found.", "Critical",
            "Place a valid resource at the URI or correct the URI and resubmit the request.", request.Path.ToString()));
}
