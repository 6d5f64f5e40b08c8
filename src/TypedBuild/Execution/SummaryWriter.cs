using System.Globalization;
using System.Text;
using Spectre.Console;
using TypedBuild.Logging;

namespace TypedBuild.Execution;

/// <summary>Renders the end-of-build summary: a table on the console and the same as Markdown for job summaries.</summary>
internal static class SummaryWriter
{
    public static void Write(BuildLog log, BuildResult result)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Target")
            .AddColumn("Status")
            .AddColumn(new TableColumn("Duration").RightAligned())
            .AddColumn("Notes");
        foreach (var target in result.Targets)
        {
            table.AddRow(
                new Text(target.Name),
                new Markup(StatusMarkup(target.Status)),
                new Text(FormatDuration(target.Duration)),
                new Text(string.Join("; ", Notes(target))));
        }

        log.Console.WriteLine();
        log.Console.Write(table);

        // Plain on purpose: the last line of a build is read by people and grepped by scripts.
        log.Console.WriteLine(FinalLine(result));
    }

    public static string FinalLine(BuildResult result) => $"Build {Outcome(result)} in {FormatDuration(result.Duration)}";

    public static string ToMarkdown(BuildResult result)
    {
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"### {FinalLine(result)}")
            .AppendLine()
            .AppendLine("| Target | Status | Duration | Notes |")
            .AppendLine("|---|---|---:|---|");
        foreach (var target in result.Targets)
        {
            var notes = string.Join("; ", Notes(target)).Replace("|", "\\|", StringComparison.Ordinal);
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {target.Name} | {target.Status} | {FormatDuration(target.Duration)} | {notes} |");
        }

        return markdown.ToString();
    }

    /// <summary><c>m:ss</c>, e.g. 1:23.</summary>
    public static string FormatDuration(TimeSpan duration)
        => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}:{duration.Seconds:00}");

    private static IEnumerable<string> Notes(TargetResult target)
    {
        if (target.Status == TargetStatus.Cached && target.CacheKey is { } cacheKey)
        {
            yield return $"key {cacheKey[..Math.Min(12, cacheKey.Length)]}" + (target.CachedRemotely ? " from the remote store" : string.Empty);
        }

        if (target.SkipReason is not null)
        {
            yield return target.SkipReason;
        }

        foreach (var (key, value) in target.Notes)
        {
            yield return $"{key}: {value}";
        }

        if (target.Status == TargetStatus.Failed && target.ErrorMessage is not null)
        {
            yield return target.ErrorMessage.Split('\n')[0].TrimEnd('\r');
        }
    }

    private static string Outcome(BuildResult result) => result.ExitCode switch
    {
        ExitCodes.Success => "succeeded",
        ExitCodes.Cancelled => "cancelled",
        _ => "failed",
    };

    private static string StatusMarkup(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded => "[green]Succeeded[/]",
        TargetStatus.Failed => "[red]Failed[/]",
        TargetStatus.Cancelled => "[yellow]Cancelled[/]",
        TargetStatus.Skipped => "[grey]Skipped[/]",
        TargetStatus.Cached => "[green]Cached[/]",
        TargetStatus.NotRun => "[grey]NotRun[/]",
        _ => status.ToString(),
    };
}
