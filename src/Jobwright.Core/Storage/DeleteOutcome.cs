namespace Jobwright.Storage;

/// <summary>What a delete did.</summary>
public enum DeleteOutcome
{
    /// <summary>No such job.</summary>
    NotFound,
    /// <summary>Removed with its history.</summary>
    Deleted,
    /// <summary>Only terminal jobs can be deleted; nothing changed.</summary>
    NotTerminal,
}
