using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Redfish;

/// <summary>Reads a Redfish request body: a JSON object (an empty body is an empty object), or a Redfish error naming what is wrong.</summary>
internal static class RedfishBodies
{
    public static async Task<(JsonObject? Body, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        // An action without parameters may be posted with no body at all (redfishtool raw POST, curl -X POST).
        if (request.ContentLength == 0 || (request.ContentLength is null && request.ContentType is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (new JsonObject(), null);
        }

        var (body, problem) = await Api.JsonBodyReader.ReadObjectAsync(request, maxBytes, ct);
        return (body, problem);
    }

    /// <summary>The string property <paramref name="name"/>, or the Redfish error for it missing or not a string.</summary>
    public static (string? Value, IResult? Problem) RequiredString(JsonObject body, string name)
    {
        if (body[name] is not JsonValue value)
        {
            return (null, RedfishErrors.Error(400, RedfishMessages.Base + "PropertyMissing", $"The property {name} is a required property and must be included in the request.",
                RedfishMessages.Message(RedfishMessages.Base + "PropertyMissing", $"The property {name} is a required property and must be included in the request.", "Warning",
                    "Ensure that the property is in the request body and has a valid value.", name)));
        }

        return value.GetValueKind() == JsonValueKind.String
            ? (value.GetValue<string>(), null)
            : (null, RedfishErrors.PropertyValueTypeError(name, value.ToJsonString(), "a string"));
    }
}
