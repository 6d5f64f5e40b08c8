using TypedBuild.Hosts;

namespace TypedBuild.Tests.Notifications;

/// <summary>A host with every fact a Slack message shows.</summary>
internal sealed record FakeHost : ICiHost
{
    public CiHostKind Kind { get; init; } = CiHostKind.GitHubActions;

    public string DisplayName { get; init; } = "GitHub Actions";

    public string? Repository { get; init; } = "acme/users";

    public string? Branch { get; init; } = "feature/login";

    public string? Tag { get; init; }

    public string? Commit { get; init; } = "0123456789abcdef0123456789abcdef01234567";

    public string? CommitSubject { get; init; } = "Add <login> & logout\n\nBody text";

    public string? CommitAuthor { get; init; } = "Ada Lovelace";

    public string? PullRequestNumber { get; init; }

    public string? BuildNumber { get; init; } = "128";

    public string? RunUrl { get; init; } = "https://github.com/acme/users/actions/runs/128";

    public string? Actor { get; init; } = "ada";

    public void BeginGroup(string name)
    {
    }

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

internal static class SlackResults
{
    public static TargetResult Target(string name, TargetStatus status, string? error = null, params (string Key, string Value)[] notes)
        => new(name, status, TimeSpan.FromSeconds(3), null, error, notes.Select(n => KeyValuePair.Create(n.Key, n.Value)).ToList());

    public static BuildResult Build(ICiHost host, string? profile, params TargetResult[] targets)
        => new(
            targets,
            targets.Select(t => t.Name).ToList(),
            profile,
            TimeSpan.FromSeconds(95),
            targets.Any(t => t.Status == TargetStatus.Failed) ? ExitCodes.TargetFailed : ExitCodes.Success,
            host);
}
