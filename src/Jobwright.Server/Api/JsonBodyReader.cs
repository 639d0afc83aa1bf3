using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Api;

/// <summary>Reads a JSON object body within the size limit; every problem is a 4xx naming what to fix.</summary>
internal static class JsonBodyReader
{
    private const int MaxDepth = 32;

    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (request.ContentType is not { } contentType || !IsJson(contentType))
        {
            var sent = request.ContentType is null ? "no Content-Type" : request.ContentType;
            return (null, Problems.Create(
                StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type.",
                $"The body must be JSON (Content-Type: application/json), not {sent}.", [new("Content-Type", "Send application/json.")]));
        }

        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The framing itself is broken (e.g. a chunk size that overflows): Kestrel says so as an IOException.
            return (null, Problems.Create(
                StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The request body cannot be read.",
                $"The body's framing is invalid ({e.Message}); send a Content-Length or well-formed chunks.", [new("body", e.Message)]));
        }

        if (buffer.Length > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (buffer.Length == 0)
        {
            return (null, Malformed("The body is empty; send a JSON object."));
        }

        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (JsonTextCheck.Problem(json.Span, MaxDepth) is { } problem)
        {
            return (null, Malformed(problem));
        }

        try
        {
            var node = JsonNode.Parse(json.Span, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
            return node is JsonObject body
                ? (body, null)
                : (null, Malformed("The body must be a JSON object, e.g. {\"operation\": \"Simulate\"}."));
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : string.Empty;
            return (null, Malformed($"The body is not valid JSON{where}."));
        }
    }

    private static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
        contentType.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static IResult TooLarge(long maxBytes) => Problems.Create(
        StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge, "The request body is too large.",
        $"The body is larger than the limit of {maxBytes} bytes.", [new("body", $"Send at most {maxBytes} bytes.")]);

    private static IResult Malformed(string message) => Problems.Create(
        StatusCodes.Status400BadRequest, ProblemTypes.MalformedJson, "Malformed JSON.", message, [new("body", message)]);
}
