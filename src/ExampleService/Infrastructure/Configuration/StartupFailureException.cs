namespace ExampleService.Infrastructure.Configuration;

/// <summary>A problem found at start-up that the operator fixes; its message says what is wrong and how to fix it.</summary>
public sealed class StartupFailureException(string message) : Exception(message);
