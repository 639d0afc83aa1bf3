namespace Jobwright.Operations;

/// <summary>The operations this node knows, found by name and group.</summary>
public sealed class OperationRegistry
{
    private readonly Dictionary<string, OperationDefinition> _byQualifiedName = new(StringComparer.Ordinal);

    /// <summary>Every registered operation, ordered by group then name.</summary>
    public IReadOnlyList<OperationDefinition> All =>
        _byQualifiedName.Values.OrderBy(o => o.Group, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal).ToArray();

    /// <summary>Registers an operation; a second one with the same group and name is an error.</summary>
    public void Add(OperationDefinition operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        OperationValidator.ThrowIfInvalid(operation);
        if (!_byQualifiedName.TryAdd(operation.QualifiedName, operation))
        {
            throw new InvalidOperationException($"Operation '{operation.QualifiedName}' is registered twice.");
        }
    }

    /// <summary>Finds by group and name.</summary>
    public OperationDefinition? Find(string group, string name) =>
        _byQualifiedName.GetValueOrDefault($"{group}/{name}");

    /// <summary>Every operation with this name, in any group.</summary>
    public IReadOnlyList<OperationDefinition> FindByName(string name) =>
        _byQualifiedName.Values.Where(o => o.Name == name).ToArray();
}
