namespace TypedBuild.Hosts;

/// <summary>
/// GitHub Actions (<c>GITHUB_ACTIONS=true</c>): workflow commands for groups, annotations and masks, and the job
/// summary file. Commit subject and author come from git, the rest from the runner's variables.
/// </summary>
public sealed class GitHubActionsHost(IReadOnlyDictionary<string, string?> environment, AbsolutePath root, TextWriter output)
    : CiHost(environment, root, output)
{
    public override CiHostKind Kind => CiHostKind.GitHubActions;

    public override string DisplayName => "GitHub Actions";

    public override string? Repository => Variable("GITHUB_REPOSITORY");

    /// <summary>The pull request's source branch, else the pushed branch (never a tag).</summary>
    public override string? Branch => Variable("GITHUB_HEAD_REF") ?? (IsTag ? null : Variable("GITHUB_REF_NAME"));

    public override string? Tag => IsTag ? Variable("GITHUB_REF_NAME") : null;

    public override string? Commit => Variable("GITHUB_SHA") ?? base.Commit;

    /// <summary>From <c>GITHUB_REF=refs/pull/&lt;n&gt;/merge</c>.</summary>
    public override string? PullRequestNumber
        => Variable("GITHUB_REF") is { } reference && reference.StartsWith("refs/pull/", StringComparison.Ordinal)
            ? reference.Split('/')[2]
            : null;

    /// <summary><c>pull_request</c> and <c>pull_request_target</c> (whose ref is the base branch, so it has no number here).</summary>
    public override bool IsPullRequest => Variable("GITHUB_EVENT_NAME")?.StartsWith("pull_request", StringComparison.Ordinal) == true || base.IsPullRequest;

    public override string? BuildNumber => Variable("GITHUB_RUN_NUMBER");

    public override string? RunUrl
        => Variable("GITHUB_SERVER_URL") is { } server && Variable("GITHUB_REPOSITORY") is { } repository && Variable("GITHUB_RUN_ID") is { } run
            ? $"{server.TrimEnd('/')}/{repository}/actions/runs/{run}"
            : null;

    public override string? Actor => Variable("GITHUB_ACTOR");

    private bool IsTag => Variable("GITHUB_REF_TYPE") == "tag";

    public override void BeginGroup(string name) => Output.WriteLine($"::group::{EscapeData(name)}");

    public override void EndGroup(string name) => Output.WriteLine("::endgroup::");

    public override void Annotate(AnnotationLevel level, string message, string? file = null, int? line = null)
    {
        var properties = new List<string>();
        if (file is not null)
        {
            properties.Add($"file={EscapeProperty(file)}");
        }

        if (line is not null)
        {
            properties.Add($"line={line}");
        }

        var command = level switch
        {
            AnnotationLevel.Error => "error",
            AnnotationLevel.Warning => "warning",
            _ => "notice",
        };
        Output.WriteLine(properties.Count == 0
            ? $"::{command}::{EscapeData(message)}"
            : $"::{command} {string.Join(',', properties)}::{EscapeData(message)}");
    }

    /// <summary>
    /// <c>::add-mask::</c> for the value, and for each of its lines: GitHub masks line by line, so a multi-line
    /// secret (a key file) would otherwise leak.
    /// </summary>
    public override void RegisterSecret(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        Output.WriteLine($"::add-mask::{EscapeData(value)}");
        foreach (var line in value.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0 && l != value))
        {
            Output.WriteLine($"::add-mask::{EscapeData(line)}");
        }
    }

    public override void AppendJobSummary(string markdown)
    {
        if (Variable("GITHUB_STEP_SUMMARY") is { } summaryFile)
        {
            File.AppendAllText(summaryFile, markdown.EndsWith('\n') ? markdown : markdown + "\n");
        }
    }

    /// <summary>Escaping of a workflow command's message, as the runner's toolkit does it.</summary>
    internal static string EscapeData(string value)
        => value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>Escaping of a workflow command's property value: the data escapes plus <c>:</c> and <c>,</c>.</summary>
    internal static string EscapeProperty(string value)
        => EscapeData(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
