using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Operations;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Redfish;

/// <summary>
/// Operations as Redfish actions: the URI that starts a job of an operation (its own <see cref="OperationDefinition.RedfishAction"/>,
/// or <c>Oem/Jobwright/Operations/{Group}/{Name}[/Targets/{target}]/Actions/Run</c>), and an action's body read as the job's parameters.
/// </summary>
internal static class RedfishActions
{
    private const string Placeholder = "{target}";

    public static string RunUri(string group, string operation, string? target) =>
        $"{RedfishPaths.Operations}/{group}/{operation}{(target is null ? string.Empty : "/Targets/" + Uri.EscapeDataString(target))}/Actions/Run";

    /// <summary>The URI a job of this operation is started at through Redfish (where it was, or would have been, posted).</summary>
    public static string UriOf(JobRecord job, OperationDefinition? operation)
    {
        if (operation?.RedfishAction is { } action && (job.Target is not null || !action.Contains(Placeholder, StringComparison.Ordinal)))
        {
            return $"{RedfishPaths.Root}/{action.Replace(Placeholder, Uri.EscapeDataString(job.Target ?? string.Empty), StringComparison.Ordinal)}";
        }

        return RunUri(job.Group, job.Operation, job.Target);
    }

    /// <summary>
    /// The body's properties as the operation's parameters. An unknown property is PropertyUnknown, a value outside
    /// a parameter's list PropertyValueNotInList, a value of the wrong kind PropertyValueTypeError; annotations (@…) are ignored.
    /// </summary>
    public static (JsonObject? Parameters, IResult? Problem) Parameters(OperationDefinition operation, JsonObject body)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (name.StartsWith('@') || name.Contains("@Redfish.", StringComparison.Ordinal))
            {
                continue;
            }

            if (operation.Parameters.FirstOrDefault(p => p.Name == name) is not { } parameter)
            {
                var known = operation.Parameters.Count == 0 ? "no properties" : string.Join(", ", operation.Parameters.Select(p => p.Name));
                return (null, RedfishErrors.PropertyUnknown(name, known));
            }

            if (value is not JsonValue scalar || scalar.GetValueKind() is JsonValueKind.Null)
            {
                return (null, RedfishErrors.PropertyValueTypeError(name, value?.ToJsonString() ?? "null", parameter.Type.ToString().ToLowerInvariant()));
            }

            if (parameter.Enum is { } allowed && !(scalar.TryGetValue<string>(out var text) && allowed.Contains(text, StringComparer.Ordinal)))
            {
                return (null, RedfishErrors.PropertyValueNotInList(name, scalar.ToString(), allowed));
            }

            if (ParameterValidator.Convert(parameter, scalar) is { Error: { } error })
            {
                return (null, RedfishErrors.Error(400, RedfishMessages.Base + "PropertyValueFormatError", error,
                    RedfishMessages.Message(RedfishMessages.Base + "PropertyValueFormatError", error, "Warning", "Correct the value of the property and resubmit the request.", scalar.ToString(), name)));
            }

            parameters[name] = scalar.DeepClone();
        }

        return (parameters, null);
    }
}
