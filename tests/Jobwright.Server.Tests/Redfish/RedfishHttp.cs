using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests.Redfish;

/// <summary>Requests of a Redfish client: JSON bodies, the answer's status, headers and body.</summary>
internal static class RedfishHttp
{
    public sealed record Answer(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)
    {
        public string? Location => Response.Headers.Location?.ToString();
    }

    public static Task<Answer> GetAsync(HttpClient http, string path) => SendAsync(http, HttpMethod.Get, path, null);

    public static Task<Answer> PostAsync(HttpClient http, string path, string json) => SendAsync(http, HttpMethod.Post, path, json);

    public static Task<Answer> DeleteAsync(HttpClient http, string path) => SendAsync(http, HttpMethod.Delete, path, null);

    public static async Task<Answer> SendAsync(HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
        return new Answer(response.StatusCode, body, response);
    }

    /// <summary>Starts a job through the Oem Run action; returns its monitor's path and the job id.</summary>
    public static async Task<(string Monitor, long JobId)> RunAsync(HttpClient http, string group, string operation, string json, string? target = null)
    {
        var path = $"/redfish/v1/Oem/Jobwright/Operations/{group}/{operation}{(target is null ? string.Empty : "/Targets/" + target)}/Actions/Run";
        var answer = await PostAsync(http, path, json);
        Assert.True(answer.Status == HttpStatusCode.Accepted, $"{path} answered {(int)answer.Status}: {answer.Body.ToJsonString()}");
        return (answer.Location!, long.Parse(answer.Body["Id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string MessageIds(JsonObject body, string property = "Messages") =>
        string.Join(" ", (body[property] as JsonArray ?? []).Select(m => m!["MessageId"]!.GetValue<string>()));
}
