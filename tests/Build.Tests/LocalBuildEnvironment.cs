namespace Build.Tests;

/// <summary>
/// The environment of a build definition a test starts as a child process: a local build, whatever host the test suite
/// itself runs on. Inherited CI variables would make the child a CI build (a GitHub job's <c>GITHUB_ACTIONS</c> turns on
/// the environment-protection check, <c>CI</c> the Slack observer) and tie it to the test run around it; an inherited
/// <c>TYPEDBUILD_CACHE_REGISTRY</c> would push the child's entries into the job's shared remote cache store.
/// </summary>
public static class LocalBuildEnvironment
{
    private static readonly string[] InheritedVariablePrefixes = ["CI", "GITHUB_", "GITLAB_", "CONCOURSE", "SONAR", "VSTEST", "MSBUILD", "COVERLET", "TYPEDBUILD_"];

    /// <summary>Clears every inherited CI variable, then sets <paramref name="variables"/> and plain output.</summary>
    public static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> variables)
    {
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => Array.Exists(InheritedVariablePrefixes, prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(name => name, string? (_) => null);
        environment["NO_COLOR"] = "1";
        environment["COLUMNS"] = "400";
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return environment;
    }
}
