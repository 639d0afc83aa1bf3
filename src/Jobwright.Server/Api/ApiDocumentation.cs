using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Api;

/// <summary>What /openapi/v1.json says of an endpoint: its answer's type, and the problems it may answer with.</summary>
internal static class ApiDocumentation
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Answers <typeparamref name="T"/> as JSON with <paramref name="status"/>, or one of <paramref name="problems"/> (401 and 403 come with authentication).</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder endpoint, int status, params int[] problems)
    {
        endpoint.Produces<T>(status, "application/json");
        return endpoint.Problems(problems);
    }

    /// <summary>May answer with each of <paramref name="statuses"/> as a <see cref="ProblemResponse"/>, and with 401 and 403.</summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses.Concat([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]).Distinct())
        {
            endpoint.Produces<ProblemResponse>(status, ProblemJson);
        }

        return endpoint;
    }
}
