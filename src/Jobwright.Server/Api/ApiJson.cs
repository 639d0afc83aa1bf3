using System.Text.Json;
using Jobwright.Model;

namespace Jobwright.Server.Api;

/// <summary>The JSON of the API (<see cref="JobwrightJson"/>), and the record as callers may see it.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options => JobwrightJson.Options;

    public static JsonSerializerOptions Configure(JsonSerializerOptions options) => JobwrightJson.Configure(options);

    /// <summary>The record as callers see it: stack traces are never sent over the API.</summary>
    public static JobRecord Shown(JobRecord job) =>
        job.Error is { StackTrace: not null } error ? job with { Error = error with { StackTrace = null } } : job;
}
