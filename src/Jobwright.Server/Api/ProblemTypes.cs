namespace Jobwright.Server.Api;

/// <summary>The stable <c>type</c> of every problem the API answers with.</summary>
internal static class ProblemTypes
{
    public const string InvalidRequest = "urn:jobwright:problem:invalid-request";
    public const string MalformedJson = "urn:jobwright:problem:malformed-json";
    public const string UnknownOperation = "urn:jobwright:problem:unknown-operation";
    public const string JobNotFound = "urn:jobwright:problem:job-not-found";
    public const string Conflict = "urn:jobwright:problem:conflict";
    public const string BodyTooLarge = "urn:jobwright:problem:body-too-large";
    public const string UnsupportedMediaType = "urn:jobwright:problem:unsupported-media-type";
    public const string NotFound = "urn:jobwright:problem:not-found";
    public const string MethodNotAllowed = "urn:jobwright:problem:method-not-allowed";
    public const string Unavailable = "urn:jobwright:problem:unavailable";
    public const string QueueFull = "urn:jobwright:problem:queue-full";
    public const string Internal = "urn:jobwright:problem:internal";
    public const string CrossSite = "urn:jobwright:problem:cross-site";
    public const string OutsideScope = "urn:jobwright:problem:outside-scope";
    public const string Unauthenticated = "urn:jobwright:problem:unauthenticated";
    public const string Forbidden = "urn:jobwright:problem:forbidden";

    /// <summary>The type of an error that came without a body, by its status.</summary>
    public static string ForStatus(int status) => status switch
    {
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        _ => InvalidRequest,
    };
}
