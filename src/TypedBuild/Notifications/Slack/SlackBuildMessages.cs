using System.Globalization;
using TypedBuild.Hosts;
using TypedBuild.Notifications.Slack.Blocks;

namespace TypedBuild.Notifications.Slack;

/// <summary>The Block Kit messages for a finished build: a failure report, or a deploy announcement. Every text is masked.</summary>
public static class SlackBuildMessages
{
    private const string Fence = "```";

    /// <summary>The message to post for <paramref name="result"/>, or null when there is nothing to say.</summary>
    public static SlackMessage? For(BuildResult result, SlackNotifierOptions options, ISecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        if (result.Problem is { } problem)
        {
            return Stopped(result, problem, options, masker);
        }

        if (result.FirstFailure is { } failure)
        {
            return Failure(result, failure, options, masker);
        }

        var deployed = result.Targets.Where(t => t.Status == TargetStatus.Succeeded && options.DeployTargets.Contains(t.Name, StringComparer.Ordinal)).ToList();
        return result.Succeeded && options.AnnounceDeploys && deployed.Count > 0 ? Deployed(result, deployed, options, masker) : null;
    }

    public static SlackMessage Failure(BuildResult result, TargetResult failure, SlackNotifierOptions options, ISecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(masker);
        var facts = new Facts(result.Host, masker);
        var blocks = new List<SlackBlock>
        {
            new HeaderBlock($":x: {facts.Repository}: {failure.Name} failed"),
            new SectionBlock(fields: Fields(
                ("Repository", facts.Repository),
                (facts.RefLabel, facts.Ref),
                ("Commit", facts.Commit),
                ("Author", facts.Author),
                ("Failed target", Code(failure.Name)),
                ("Environment", masker.Mask(result.Profile ?? "")),
                ("CI", facts.Ci),
                ("Duration", Duration(result.Duration)))),
            new SectionBlock(ErrorTail(failure, options.ErrorLines, masker)),
        };
        var others = result.Targets.Where(t => t.Status == TargetStatus.Failed && t != failure).Select(t => Code(t.Name)).ToList();
        blocks.Add(new ContextBlock(
            $"Invoked: {string.Join(' ', result.InvokedTargets.Select(Code))} · exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}"
            + (others.Count > 0 ? $" · also failed: {string.Join(", ", others)}" : "")));
        AddRunButton(blocks, facts);
        return new SlackMessage($"{facts.Repository}: {failure.Name} failed on {facts.Ref} ({facts.Ci})", blocks);
    }

    /// <summary>A failure that is not a target's: bad input, missing tools, a build that does not compile, a job the CI system saw fail.</summary>
    public static SlackMessage Stopped(BuildResult result, BuildProblem problem, SlackNotifierOptions options, ISecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(masker);
        var facts = new Facts(result.Host, masker);
        var title = masker.Mask(problem.Title);
        var blocks = new List<SlackBlock>
        {
            new HeaderBlock($":x: {facts.Repository}: {title}"),
            new SectionBlock(fields: Fields(
                ("Repository", facts.Repository),
                (facts.RefLabel, facts.Ref),
                ("Commit", facts.Commit),
                ("Author", facts.Author),
                ("Environment", masker.Mask(result.Profile ?? "")),
                ("CI", facts.Ci))),
            new SectionBlock(CodeBlock("*What happened*\n", problem.Details, options.ErrorLines, masker)),
            new ContextBlock(result.InvokedTargets.Count > 0
                ? $"Invoked: {string.Join(' ', result.InvokedTargets.Select(Code))} · nothing was run · exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}"
                : $"exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}"),
        };
        AddRunButton(blocks, facts);
        return new SlackMessage($"{facts.Repository}: {title} on {facts.Ref} ({facts.Ci})", blocks);
    }

    public static SlackMessage Deployed(BuildResult result, IReadOnlyList<TargetResult> deployed, SlackNotifierOptions options, ISecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(deployed);
        ArgumentNullException.ThrowIfNull(options);
        var facts = new Facts(result.Host, masker);
        var environment = masker.Mask(result.Profile ?? "default");
        var notes = result.Targets.Where(t => t.Status is TargetStatus.Succeeded or TargetStatus.Cached).SelectMany(t => t.Notes)
            .Select(n => (masker.Mask(n.Key), Code(masker.Mask(n.Value))));
        var blocks = new List<SlackBlock>
        {
            new HeaderBlock($":rocket: {facts.Repository} deployed to {environment}"),
            new SectionBlock(fields: Fields(
                [
                    ("Environment", environment),
                    ("Version", masker.Mask(VersionOf(options) ?? "")),
                    (facts.RefLabel, facts.Ref),
                    ("Commit", facts.Commit),
                    .. notes,
                ])),
            new ContextBlock($"{string.Join(' ', deployed.Select(t => Code(t.Name)))} by {facts.Author} on {facts.Ci} in {Duration(result.Duration)}"),
        };
        AddRunButton(blocks, facts);
        return new SlackMessage($"{facts.Repository} deployed to {environment}", blocks);
    }

    /// <summary>The last lines of the error in a code block; the end is kept when even they are too long for a section.</summary>
    private static string ErrorTail(TargetResult failure, int lines, ISecretMasker masker)
        => CodeBlock($"*Last lines of the error in {Code(failure.Name)}*\n", failure.ErrorMessage ?? "(no error message)", lines, masker);

    private static string CodeBlock(string heading, string text, int lines, ISecretMasker masker)
    {
        var masked = masker.Mask(text).Replace("\r\n", "\n", StringComparison.Ordinal);
        var tail = string.Join('\n', masked.Split('\n').TakeLast(Math.Max(1, lines)));
        var room = SlackLimits.SectionText - heading.Length - (2 * Fence.Length) - 2;
        var escaped = SlackText.Escape(tail).Replace(Fence, "'''", StringComparison.Ordinal);
        if (escaped.Length > room)
        {
            escaped = "…" + escaped[^(room - 1)..];
        }

        return $"{heading}{Fence}\n{escaped}\n{Fence}";
    }

    private static IEnumerable<string> Fields(params (string Label, string Value)[] fields)
        => fields.Where(f => f.Value.Length > 0).Select(f => $"*{f.Label}*\n{f.Value}");

    private static string Code(string text) => text.Length == 0 ? "" : $"`{SlackText.Escape(text.Replace("`", "'", StringComparison.Ordinal))}`";

    private static string Duration(TimeSpan duration)
        => duration.TotalHours >= 1
            ? duration.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : duration.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    private static string? VersionOf(SlackNotifierOptions options)
    {
        try
        {
            return options.Version?.Invoke();
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or FormatException)
        {
            return null;
        }
    }

    private static void AddRunButton(List<SlackBlock> blocks, Facts facts)
    {
        if (facts.RunUrl is { } url)
        {
            blocks.Add(new ActionsBlock([new LinkButton("View run", url)]));
        }
    }

    /// <summary>What the host knows about the run, masked and escaped for mrkdwn.</summary>
    private sealed class Facts(ICiHost host, ISecretMasker masker)
    {
        public string Repository => Safe(host.Repository) is { Length: > 0 } repository ? repository : "repository";

        public string RefLabel
        {
            get
            {
                if (host.Tag is { Length: > 0 })
                {
                    return "Tag";
                }

                return host.PullRequestNumber is { Length: > 0 } ? "Pull request" : "Branch";
            }
        }

        public string Ref
        {
            get
            {
                if (host.Tag is { Length: > 0 } tag)
                {
                    return Safe(tag);
                }

                return Safe(host.Branch) + (host.PullRequestNumber is { Length: > 0 } pr ? $" (#{Safe(pr)})" : "");
            }
        }

        public string Commit => host.Commit is { Length: > 0 } sha
            ? $"`{Safe(sha[..Math.Min(7, sha.Length)])}` {Safe(FirstLine(host.CommitSubject))}".TrimEnd()
            : "";

        public string Author => Safe(host.CommitAuthor ?? host.Actor);

        public string Ci => Safe(host.DisplayName) + (host.BuildNumber is { Length: > 0 } number ? $" #{Safe(number)}" : "");

        public Uri? RunUrl => Uri.TryCreate(host.RunUrl, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;

        private string Safe(string? text) => SlackText.Escape(masker.Mask(text ?? ""));

        private static string FirstLine(string? text) => (text ?? "").Split('\n')[0].Trim();
    }
}
