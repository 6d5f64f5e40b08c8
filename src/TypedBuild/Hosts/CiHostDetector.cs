namespace TypedBuild.Hosts;

/// <summary>Picks the host from the environment (GitHub, GitLab, Concourse, else local) or from <c>--host</c>.</summary>
public static class CiHostDetector
{
    /// <summary>The names <c>--host</c> accepts.</summary>
    public static IReadOnlyList<string> HostNames { get; } = ["local", "github", "gitlab", "concourse"];

    public static ICiHost Detect(IReadOnlyDictionary<string, string?> environment, AbsolutePath root, string? hostOverride)
        => Detect(environment, root, hostOverride, Console.Out);

    internal static ICiHost Detect(IReadOnlyDictionary<string, string?> environment, AbsolutePath root, string? hostOverride, TextWriter output)
    {
        var name = string.IsNullOrWhiteSpace(hostOverride) ? FromEnvironment(environment) : hostOverride.Trim().ToLowerInvariant();
        return name switch
        {
            "github" => new GitHubActionsHost(environment, root, output),
            "gitlab" => new GitLabHost(environment, root, output),
            "concourse" => new ConcourseHost(environment, root, output),
            "local" => new LocalHost(environment, root, output),
            _ => throw new ArgumentException(
                $"Unknown host '{hostOverride}'. Valid values for --host: {string.Join(", ", HostNames)}.", nameof(hostOverride)),
        };
    }

    private static string FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        bool IsSet(string variable) => environment.TryGetValue(variable, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

        if (IsSet("GITHUB_ACTIONS"))
        {
            return "github";
        }

        if (IsSet("GITLAB_CI"))
        {
            return "gitlab";
        }

        return IsSet("CONCOURSE_CI") ? "concourse" : "local";
    }
}
