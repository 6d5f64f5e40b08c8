namespace TypedBuild.Hosts;

public enum CiHostKind
{
    Local,
    GitHubActions,
    GitLab,
    Concourse,
}

/// <summary>
/// Where the build runs. Detected from the environment (<c>GITHUB_ACTIONS</c>, <c>GITLAB_CI</c>, and
/// <c>CONCOURSE_CI=true</c>, which the generated Concourse pipeline passes because Concourse sets nothing),
/// overridable with <c>--host</c>. Locally, branch, commit and actor come from git.
/// </summary>
public interface ICiHost
{
    CiHostKind Kind { get; }

    /// <summary>Human-readable name: "local", "GitHub Actions", "GitLab CI", "Concourse".</summary>
    string DisplayName { get; }

    bool IsServerBuild => Kind != CiHostKind.Local;

    /// <summary>"owner/name" where known.</summary>
    string? Repository { get; }

    string? Branch { get; }

    /// <summary>Tag name when the build runs for a tag (e.g. <c>v1.4.0</c>).</summary>
    string? Tag { get; }

    string? Commit { get; }

    string? CommitSubject { get; }

    string? CommitAuthor { get; }

    string? PullRequestNumber { get; }

    /// <summary>The build runs for a pull or merge request (whose code is not yet trusted: the remote cache store is read-only).</summary>
    bool IsPullRequest => PullRequestNumber is { Length: > 0 };

    string? BuildNumber { get; }

    string? RunUrl { get; }

    string? Actor { get; }

    /// <summary>Starts a collapsible log group for a target.</summary>
    void BeginGroup(string name);

    void EndGroup(string name);

    /// <summary>Raises an annotation where the host has them (GitHub <c>::error::</c>); otherwise does nothing.</summary>
    void Annotate(AnnotationLevel level, string message, string? file = null, int? line = null);

    /// <summary>Registers a secret with the host's own log masking (GitHub <c>::add-mask::</c>).</summary>
    void RegisterSecret(string value);

    /// <summary>Appends Markdown to the job summary where the host has one (GitHub <c>GITHUB_STEP_SUMMARY</c>).</summary>
    void AppendJobSummary(string markdown);
}

public enum AnnotationLevel
{
    Notice,
    Warning,
    Error,
}
