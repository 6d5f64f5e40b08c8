using System.Text.RegularExpressions;

namespace TypedBuild.Hosts;

/// <summary>
/// GitLab CI (<c>GITLAB_CI=true</c>): collapsible log sections; GitLab has no annotations, job summary or mask
/// command (masking is a property of the CI/CD variable), so those do nothing.
/// </summary>
public sealed partial class GitLabHost(IReadOnlyDictionary<string, string?> environment, AbsolutePath root, TextWriter output, TimeProvider? clock = null)
    : CiHost(environment, root, output)
{
    private const string Escape = "\u001b[0K";
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public override CiHostKind Kind => CiHostKind.GitLab;

    public override string DisplayName => "GitLab CI";

    public override string? Repository => Variable("CI_PROJECT_PATH");

    public override string? Branch
        => Variable("CI_COMMIT_BRANCH")
            ?? Variable("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")
            ?? (Variable("CI_COMMIT_TAG") is null ? Variable("CI_COMMIT_REF_NAME") : null);

    public override string? Tag => Variable("CI_COMMIT_TAG");

    public override string? Commit => Variable("CI_COMMIT_SHA") ?? base.Commit;

    public override string? CommitSubject => Variable("CI_COMMIT_TITLE") ?? base.CommitSubject;

    /// <summary>The name part of <c>CI_COMMIT_AUTHOR</c> ("Name &lt;email&gt;"), like git's author name.</summary>
    public override string? CommitAuthor
        => Variable("CI_COMMIT_AUTHOR") is { } author ? EmailSuffix().Replace(author, "") : base.CommitAuthor;

    public override string? PullRequestNumber => Variable("CI_MERGE_REQUEST_IID");

    public override string? BuildNumber => Variable("CI_PIPELINE_IID");

    public override string? RunUrl => Variable("CI_JOB_URL");

    public override string? Actor => Variable("GITLAB_USER_LOGIN");

    public override void BeginGroup(string name)
        => Output.WriteLine($"{Escape}section_start:{Now}:{SectionId(name)}[collapsed=true]\r{Escape}{name}");

    public override void EndGroup(string name)
        => Output.WriteLine($"{Escape}section_end:{Now}:{SectionId(name)}\r{Escape}");

    private long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Section ids may hold only letters, digits, <c>_</c>, <c>.</c> and <c>-</c>.</summary>
    internal static string SectionId(string name) => InvalidSectionCharacters().Replace(name.ToLowerInvariant(), "_");

    [GeneratedRegex("[^a-z0-9_.-]")]
    private static partial Regex InvalidSectionCharacters();

    [GeneratedRegex(@"\s*<[^>]*>\s*$")]
    private static partial Regex EmailSuffix();
}
