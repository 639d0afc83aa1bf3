using System.Text;
using System.Text.Json;
using Jobwright.Status;

namespace Jobwright.Server.Dashboard;

/// <summary>
/// The dashboard's list of statuses, written from the status file when the node starts, so that the page
/// never keeps a copy of its own: <c>STATUSES</c> (in order), <c>TERMINAL</c> and <c>STATUS.camelName</c>.
/// </summary>
internal static class StatusScript
{
    public const string FileName = "statuses.js";

    public static byte[] Generate()
    {
        var names = JobStatuses.All.ToDictionary(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString()), s => s.ToWire());
        var script = new StringBuilder()
            .Append("// Written by the node from its status file (Jobwright.Contracts, Status/JobStatus.cs).\n'use strict';\n")
            .Append("const STATUSES = ").Append(JsonSerializer.Serialize(JobStatuses.All.Select(s => s.ToWire()))).Append(";\n")
            .Append("const TERMINAL = new Set(").Append(JsonSerializer.Serialize(JobStatuses.Terminal.Select(s => s.ToWire()))).Append(");\n")
            .Append("const STATUS = Object.freeze(").Append(JsonSerializer.Serialize(names)).Append(");\n");
        return Encoding.UTF8.GetBytes(script.ToString());
    }
}
