namespace TypedBuild.Cli;

/// <summary>A command-line option of the engine itself (not a build parameter).</summary>
internal sealed record BuiltInOption(string Name, string? Alias, string Usage, string Description, bool IsFlag)
{
    public bool Matches(string rawName)
        => Planning.NameMatching.AreEquivalent(rawName, Name) || (Alias is not null && Planning.NameMatching.AreEquivalent(rawName, Alias));
}

/// <summary>The environment variables that configure the remote cache store where a command line is not at hand (CI).</summary>
internal static class RemoteCacheVariables
{
    public const string Registry = "TYPEDBUILD_CACHE_REGISTRY";
    public const string ReadOnly = "TYPEDBUILD_CACHE_READ_ONLY";
    public const string Username = "TYPEDBUILD_CACHE_REGISTRY_USERNAME";
    public const string Password = "TYPEDBUILD_CACHE_REGISTRY_PASSWORD";
}

/// <summary>The engine's own options, listed after the build's parameters in <c>--help</c>.</summary>
internal static class BuiltInOptions
{
    public static readonly BuiltInOption Target = new("--target", null, "<names>", "Targets to run (also positional). Default: the build's default targets", false);
    public static readonly BuiltInOption Skip = new("--skip", null, "[names]", "Targets to skip; without names, skips everything but the invoked targets", false);
    public static readonly BuiltInOption Plan = new("--plan", null, string.Empty, "Prints the execution plan and runs nothing", true);
    public static readonly BuiltInOption Json = new("--json", null, string.Empty, "With --plan: prints the plan as JSON", true);
    public static readonly BuiltInOption Help = new("--help", "-h", string.Empty, "Shows this help", true);
    public static readonly BuiltInOption Profile = new("--env", "--profile", "<profile>", "Loads .nuke/parameters.<profile>.json over .nuke/parameters.json", false);
    public static readonly BuiltInOption Root = new("--root", null, "<dir>", "Repository root. Default: the nearest directory upwards with a .nuke folder", false);
    public static readonly BuiltInOption Host = new("--host", null, "<host>", "CI host: local, github, gitlab, concourse. Default: detected from the environment", false);
    public static readonly BuiltInOption Parallel = new("--parallel", null, "<n>", "How many independent targets run at once; 1 runs them one by one in plan order. Default: the number of cores", false);
    public static readonly BuiltInOption NoCache = new("--no-cache", null, string.Empty, "Runs every target: no cache look-up, no new entries", true);
    public static readonly BuiltInOption CacheRegistry = new(
        "--cache-registry",
        null,
        "<registry>/<repository>",
        $"Shares the target cache through an OCI registry, e.g. ghcr.io/owner/build-cache (or {RemoteCacheVariables.Registry}; login from {RemoteCacheVariables.Username} and {RemoteCacheVariables.Password}). Default: the local store only",
        false);

    public static readonly BuiltInOption CacheReadOnly = new(
        "--cache-read-only", null, string.Empty, $"Pulls from the remote cache store but pushes nothing (or {RemoteCacheVariables.ReadOnly}=true); pull-request builds always do", true);

    public static readonly BuiltInOption Verbosity = new("--verbosity", null, "<level>", "quiet, minimal, normal (default) or verbose", false);

    public static readonly BuiltInOption AnnounceFailure = new(
        "--announce-failure", null, "<failed|errored|aborted>", "Posts the failure message for a job the CI system saw fail, unless the build announced it already; for CI failure hooks", false);

    public static IReadOnlyList<BuiltInOption> All { get; } = [Target, Skip, Plan, Json, Help, Profile, Root, Host, Parallel, NoCache, CacheRegistry, CacheReadOnly, Verbosity, AnnounceFailure];

    public static BuiltInOption? Find(string rawName) => All.FirstOrDefault(o => o.Matches(rawName));
}
