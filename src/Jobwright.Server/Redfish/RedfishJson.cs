using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Redfish;

/// <summary>Writes a Redfish body: JSON with the OData headers Redfish services send.</summary>
internal static class RedfishJson
{
    // Redfish bodies are read by scripts and shown to people: apostrophes and non-ASCII letters are written as they are.
    private static readonly System.Text.Json.JsonSerializerOptions Writing = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Result(JsonNode body, int status = StatusCodes.Status200OK) => new RedfishResult(body, status);

    private sealed class RedfishResult(JsonNode body, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.Headers["OData-Version"] = "4.0";
            response.Headers.CacheControl = "no-cache";
            response.ContentType = "application/json; charset=utf-8";
            return response.WriteAsync(body.ToJsonString(Writing), Encoding.UTF8);
        }
    }
}
