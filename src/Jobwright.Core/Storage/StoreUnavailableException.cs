namespace Jobwright.Storage;

/// <summary>
/// The store cannot be reached just now (its server is down or restarting). Nothing was changed, or
/// the change may not have been committed; the caller may try again. The API answers 503.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException()
        : this("The job store cannot be reached.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
