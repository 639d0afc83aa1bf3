using System.Net;

namespace Jobwright.Client;

/// <summary>The node refused a request; carries its problem details (RFC 9457).</summary>
public sealed class JobwrightApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobwrightApiException(HttpStatusCode status, ProblemDetails problem)
        : base(problem.Detail ?? problem.Title ?? $"The node answered {(int)status}.")
    {
        Status = status;
        Problem = problem;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem the node described.</summary>
    public ProblemDetails Problem { get; }
}
