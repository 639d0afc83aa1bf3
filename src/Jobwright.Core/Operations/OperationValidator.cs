using System.Text.RegularExpressions;

namespace Jobwright.Operations;

/// <summary>Checks an operation's declaration when it is registered, so a mistake stops the node at start.</summary>
internal static class OperationValidator
{
    public static void ThrowIfInvalid(OperationDefinition operation)
    {
        var where = $"Operation '{operation.QualifiedName}'";
        if (!IsName(operation.Name) || !IsName(operation.Group))
        {
            throw new ArgumentException($"{where}: name and group must be letters, digits, '-' or '_' (1-64 characters).");
        }

        if (operation.PerTargetConcurrency < 1)
        {
            throw new ArgumentException($"{where}: PerTargetConcurrency must be at least 1.");
        }

        if (operation.MaxConcurrency is < 1)
        {
            throw new ArgumentException($"{where}: MaxConcurrency must be at least 1, or null for no limit.");
        }

        if (operation.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{where}: Timeout must be positive, or null for none.");
        }

        if (operation.RedfishAction is { } action && !IsRedfishAction(action))
        {
            throw new ArgumentException(
                $"{where}: RedfishAction '{action}' must be a path under /redfish/v1/ whose segments are letters, digits, '-', '_' or '.', with {{target}} as a whole segment at most once, e.g. Systems/{{target}}/Actions/ComputerSystem.Reset.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in operation.Parameters)
        {
            if (!IsName(parameter.Name) || !names.Add(parameter.Name))
            {
                throw new ArgumentException($"{where}: parameter '{parameter.Name}' is declared twice or is not a valid name.");
            }

            if (parameter.Pattern is not null)
            {
                try
                {
                    _ = new Regex(parameter.Pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"{where}: parameter '{parameter.Name}' has an invalid pattern: {e.Message}", e);
                }
            }

            if (parameter.Default is not null && ParameterValidator.Convert(parameter, parameter.Default) is { Error: { } error })
            {
                throw new ArgumentException($"{where}: the default of parameter '{parameter.Name}' is invalid: {error}");
            }
        }
    }

    // A relative path such as Systems/{target}/Actions/ComputerSystem.Reset (the /redfish/v1/ before it is implied).
    private static bool IsRedfishAction(string action)
    {
        var segments = action.Split('/');
        return action.Length <= 256 && segments.Length >= 2 && segments.Count(s => s == "{target}") <= 1 &&
            segments.All(s => s == "{target}" || (s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && s is not ("." or "..")));
    }

    private static bool IsName(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
