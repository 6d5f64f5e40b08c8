namespace TypedBuild.Hosts;

/// <summary>
/// Concourse. It sets no variable of its own in a task, so the generated pipeline passes <c>CONCOURSE_CI=true</c>
/// and the <c>CONCOURSE_*</c> values below; commit facts come from git. No groups or annotations: a header line.
/// </summary>
public sealed class ConcourseHost(IReadOnlyDictionary<string, string?> environment, AbsolutePath root, TextWriter output)
    : CiHost(environment, root, output)
{
    public override CiHostKind Kind => CiHostKind.Concourse;

    public override string DisplayName => "Concourse";

    public override string? Branch => Variable("CONCOURSE_BRANCH") ?? base.Branch;

    public override string? Tag => Variable("CONCOURSE_TAG") ?? base.Tag;

    public override string? BuildNumber => Variable("CONCOURSE_BUILD_NAME");

    /// <summary><c>$CONCOURSE_URL/teams/$TEAM/pipelines/$PIPELINE/jobs/$JOB/builds/$BUILD_NAME</c>.</summary>
    public override string? RunUrl
        => (Variable("CONCOURSE_URL"), Variable("CONCOURSE_TEAM"), Variable("CONCOURSE_PIPELINE"), Variable("CONCOURSE_JOB"), Variable("CONCOURSE_BUILD_NAME"))
            is ({ } url, { } team, { } pipeline, { } job, { } build)
            ? $"{url.TrimEnd('/')}/teams/{team}/pipelines/{pipeline}/jobs/{job}/builds/{build}"
            : null;
}
