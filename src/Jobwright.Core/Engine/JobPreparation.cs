using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Operations;

namespace Jobwright.Engine;

/// <summary>What a claimed job needs before its handler can be made: its operation, and its parameters decrypted and bound.</summary>
internal sealed record JobPreparation(OperationDefinition? Operation, JsonObject? Parameters, string? FailureReason)
{
    public static JobPreparation Of(JobRecord job, OperationRegistry operations, ParameterProtector protector, string nodeName)
    {
        var operation = operations.Find(job.Group, job.Operation);
        if (operation is null)
        {
            return Failed($"no handler for operation '{job.Group}/{job.Operation}' on node {nodeName}");
        }

        JsonObject stored;
        try
        {
            stored = protector.Unprotect(job.Parameters);
        }
        catch (CryptographicException e)
        {
            return Failed($"the sensitive parameters could not be decrypted (is this node's key file the one they were stored with?): {e.Message}");
        }

        var (parameters, errors) = ParameterValidator.Validate(operation, stored);
        return errors.Count > 0
            ? Failed("parameters could not be bound: " + string.Join(" ", errors.Select(e => e.Message)))
            : new JobPreparation(operation, parameters, null);
    }

    private static JobPreparation Failed(string reason) => new(null, null, reason);
}
