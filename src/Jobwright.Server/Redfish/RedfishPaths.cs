using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Redfish;

/// <summary>
/// Which requests belong to the Redfish service: every answer under <c>/redfish</c>, an error included, is
/// Redfish JSON (an error is a Redfish error response), because Redfish clients read every body there as one.
/// </summary>
internal static class RedfishPaths
{
    public const string Root = "/redfish/v1";
    public const string TaskService = Root + "/TaskService";
    public const string Tasks = TaskService + "/Tasks";
    public const string TaskMonitors = TaskService + "/TaskMonitors";
    public const string SessionService = Root + "/SessionService";
    public const string Sessions = SessionService + "/Sessions";
    public const string Systems = Root + "/Systems";
    public const string Operations = Root + "/Oem/Jobwright/Operations";

    public static bool Covers(PathString path) => path.StartsWithSegments("/redfish", StringComparison.OrdinalIgnoreCase);

    public static string Task(long jobId) => $"{Tasks}/{jobId}";

    public static string Monitor(string monitorId) => $"{TaskMonitors}/{monitorId}";
}
