namespace TypedBuild.Provisioning;

/// <summary>
/// A machine as a CI job's configuration describes it (an image, a hosted runner): the executables on its PATH,
/// whether a Docker Engine answers there, and what the build may install on it at run time. Requirements are checked
/// against it by <see cref="IToolRequirement.UnmetOn"/> when the CI files are generated, long before any job runs.
/// </summary>
public sealed record DeclaredMachine(string Description)
{
    public IReadOnlySet<string> Executables { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public bool HasDockerEngine { get; init; }

    /// <summary>The build may run <c>apt-get install</c> there (as root, or through passwordless <c>sudo</c>).</summary>
    public bool InstallsDebianPackages { get; init; }

    /// <summary>The build may fetch tools from the npm registry there (<c>npm pack</c>, <c>npm ci</c>); needs <c>npm</c> too.</summary>
    public bool FetchesNpmPackages { get; init; }

    public bool Has(string executable) => Executables.Contains(executable);

    /// <summary>Why the build could not fetch <paramref name="what"/> from npm here, or null when it could.</summary>
    public string? CannotFetchFromNpm(string what) => (FetchesNpmPackages, Has("npm")) switch
    {
        (true, true) => null,
        (true, false) => $"npm, which the build would fetch {what} with, is not on it",
        _ => $"nothing is fetched from npm there at run time (the build would fetch {what})",
    };
}
