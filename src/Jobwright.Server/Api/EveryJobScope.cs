using Jobwright.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Api;

/// <summary>
/// What acts on every job of something, whoever submitted them — a pause, a schedule — needs a caller whose scope
/// covers every job: a scoped principal could otherwise reach jobs outside its scope.
/// </summary>
internal static class EveryJobScope
{
    /// <summary>Null when the caller may; otherwise the 403 to answer, saying what needs it.</summary>
    public static IResult? Refused(HttpContext http, string what) => JobwrightCaller.From(http).SeesEverything
        ? null
        : Problems.Create(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden.", $"{what} need a caller whose scope covers every job.", [new("scope", "Ask an admin, or a principal without a target scope.")]);
}
