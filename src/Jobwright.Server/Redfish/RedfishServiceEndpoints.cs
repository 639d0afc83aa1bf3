using System.Text.Json.Nodes;
using Jobwright.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Redfish;

/// <summary>The Redfish service root, its OData service document and metadata: open to anyone, as DSP0266 asks, so clients can find the rest.</summary>
internal static class RedfishServiceEndpoints
{
    public const string RedfishVersion = "1.20.0";

    public static void MapRedfishServiceEndpoints(this IEndpointRouteBuilder app, IOptions<JobwrightServerOptions> server)
    {
        app.MapGet("/redfish", () => RedfishJson.Result(new JsonObject { ["v1"] = RedfishPaths.Root + "/" })).AllowAnonymous();

        // Routing takes /redfish/v1/ (as clients write it) for /redfish/v1.
        app.MapGet(RedfishPaths.Root, (ParameterProtector keys) => RedfishJson.Result(ServiceRoot(keys, server.Value))).AllowAnonymous();

        app.MapGet(RedfishPaths.Root + "/odata", () => RedfishJson.Result(new JsonObject
        {
            ["@odata.context"] = RedfishPaths.Root + "/$metadata",
            ["value"] = new JsonArray([.. Services(server.Value).Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["kind"] = "Singleton", ["url"] = s.Url })]),
        })).AllowAnonymous();

        app.MapGet(RedfishPaths.Root + "/$metadata", () => Results.Text(Metadata, "application/xml; charset=utf-8")).AllowAnonymous();
    }

    private static JsonObject ServiceRoot(ParameterProtector keys, JobwrightServerOptions server)
    {
        var root = new JsonObject
        {
            ["@odata.type"] = "#ServiceRoot.v1_17_0.ServiceRoot",
            ["@odata.id"] = RedfishPaths.Root,
            ["Id"] = "RootService",
            ["Name"] = "Jobwright Redfish Service",
            ["RedfishVersion"] = RedfishVersion,
            // The same on every node of a cluster, across restarts: derived from the shared key file.
            ["UUID"] = new Guid(keys.DeriveKey("jobwright redfish service uuid", 16)).ToString(),
            ["Product"] = "Jobwright",
            ["Vendor"] = "Jobwright",
            // ServiceRoot's schema names the TaskService link "Tasks" (sushy reads it there); "TaskService" says the same for people.
            ["Tasks"] = Link(RedfishPaths.TaskService),
            ["TaskService"] = Link(RedfishPaths.TaskService),
            ["SessionService"] = Link(RedfishPaths.SessionService),
        };
        if (server.RedfishSystems.Count > 0)
        {
            root["Systems"] = Link(RedfishPaths.Systems);
        }

        root["Links"] = new JsonObject { ["Sessions"] = Link(RedfishPaths.Sessions) };
        root["Oem"] = new JsonObject { ["Jobwright"] = new JsonObject { ["Operations"] = Link(RedfishPaths.Operations) } };
        return root;
    }

    public static JsonObject Link(string uri) => new() { ["@odata.id"] = uri };

    private static IEnumerable<(string Name, string Url)> Services(JobwrightServerOptions server)
    {
        yield return ("Service", RedfishPaths.Root + "/");
        yield return ("TaskService", RedfishPaths.TaskService);
        yield return ("SessionService", RedfishPaths.SessionService);
        yield return ("Sessions", RedfishPaths.Sessions);
        if (server.RedfishSystems.Count > 0)
        {
            yield return ("Systems", RedfishPaths.Systems);
        }
    }

    // The CSDL of the resources served here, by reference to DMTF's published schemas.
    private const string Metadata = """
        <?xml version="1.0" encoding="UTF-8"?>
        <edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/ServiceRoot_v1.xml"><edmx:Include Namespace="ServiceRoot"/><edmx:Include Namespace="ServiceRoot.v1_17_0"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/TaskService_v1.xml"><edmx:Include Namespace="TaskService"/><edmx:Include Namespace="TaskService.v1_3_0"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/TaskCollection_v1.xml"><edmx:Include Namespace="TaskCollection"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/Task_v1.xml"><edmx:Include Namespace="Task"/><edmx:Include Namespace="Task.v1_7_0"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/SessionService_v1.xml"><edmx:Include Namespace="SessionService"/><edmx:Include Namespace="SessionService.v1_1_9"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/SessionCollection_v1.xml"><edmx:Include Namespace="SessionCollection"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/Session_v1.xml"><edmx:Include Namespace="Session"/><edmx:Include Namespace="Session.v1_7_0"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/ComputerSystemCollection_v1.xml"><edmx:Include Namespace="ComputerSystemCollection"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/ComputerSystem_v1.xml"><edmx:Include Namespace="ComputerSystem"/><edmx:Include Namespace="ComputerSystem.v1_20_0"/></edmx:Reference>
          <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/Message_v1.xml"><edmx:Include Namespace="Message"/><edmx:Include Namespace="Message.v1_2_0"/></edmx:Reference>
          <edmx:DataServices>
            <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">
              <EntityContainer Name="Service" Extends="ServiceRoot.v1_17_0.ServiceContainer"/>
            </Schema>
          </edmx:DataServices>
        </edmx:Edmx>
        """;
}
