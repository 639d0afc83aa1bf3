namespace Jobwright.Declared;

/// <summary>An operations file has mistakes; the message names the file, the operation and each field.</summary>
public sealed class DeclaredOperationsException(string message) : Exception(message);
