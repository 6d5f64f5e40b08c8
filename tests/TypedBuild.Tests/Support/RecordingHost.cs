using TypedBuild.Hosts;

namespace TypedBuild.Tests.Support;

/// <summary>A CI host that records what the engine tells it.</summary>
internal sealed class RecordingHost(CiHostKind kind = CiHostKind.Local) : ICiHost
{
    public CiHostKind Kind { get; } = kind;

    public string DisplayName => Kind.ToString();

    public string? Repository => null;

    public string? Branch => null;

    public string? Tag => null;

    public string? Commit => null;

    public string? CommitSubject => null;

    public string? CommitAuthor => null;

    public string? PullRequestNumber => null;

    public string? BuildNumber => null;

    public string? RunUrl => null;

    public string? Actor => null;

    public List<string> Groups { get; } = [];

    public List<(AnnotationLevel Level, string Message)> Annotations { get; } = [];

    public List<string> Secrets { get; } = [];

    public List<string> JobSummaries { get; } = [];

    public void BeginGroup(string name) => Groups.Add("begin " + name);

    public void EndGroup(string name) => Groups.Add("end " + name);

    public void Annotate(AnnotationLevel level, string message, string? file = null, int? line = null) => Annotations.Add((level, message));

    public void RegisterSecret(string value) => Secrets.Add(value);

    public void AppendJobSummary(string markdown) => JobSummaries.Add(markdown);
}
