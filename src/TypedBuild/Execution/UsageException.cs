namespace TypedBuild;

/// <summary>
/// Bad input (arguments, parameter values, build definition): the build stops before running anything with exit 2.
/// Build code may throw it from <c>OnBuildInitialized</c> to reject a parameter combination.
/// </summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
