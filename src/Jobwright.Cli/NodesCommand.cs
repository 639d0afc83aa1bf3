using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Jobwright.Cli;

/// <summary><c>jobwright nodes</c>: the live nodes.</summary>
internal static class NodesCommand
{
    public static Command Create()
    {
        var command = new Command("nodes", "List the live nodes.");
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, async (context, client) =>
        {
            var nodes = await client.GetNodesAsync(ct);
            if (context.Json)
            {
                CliContext.WriteJson(new { nodes });
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("NODE", "VERSION", "STORE", "SLOTS", Status.JobStatuses.ToWire(Status.JobStatus.Running), "TAKING WORK", "STARTED");
            foreach (var node in nodes)
            {
                table.AddRow(
                    node.Name, node.Version, node.Store, node.WorkerSlots.ToString(CultureInfo.InvariantCulture),
                    node.JobsRunning.ToString(CultureInfo.InvariantCulture), node.TakingWork ? "yes" : "no",
                    node.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
