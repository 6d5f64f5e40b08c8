namespace TypedBuild.Hosts;

/// <summary>A plain local host used until CI host detection is wired in: groups are headers, nothing else.</summary>
internal sealed class FallbackLocalHost(TextWriter output) : ICiHost
{
    public CiHostKind Kind => CiHostKind.Local;

    public string DisplayName => "local";

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

    public void BeginGroup(string name) => output.WriteLine($"═══ {name}");

    public void EndGroup(string name)
    {
    }

    public void Annotate(AnnotationLevel level, string message, string? file = null, int? line = null)
    {
    }

    public void RegisterSecret(string value)
    {
    }

    public void AppendJobSummary(string markdown)
    {
    }
}
