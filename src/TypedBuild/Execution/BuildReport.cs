using System.Globalization;
using System.Net;
using System.Text;

namespace TypedBuild.Execution;

/// <summary>
/// A picture of the run: <c>artifacts/build-report.html</c>, a timeline of the targets on a time axis with status,
/// cache key and notes (self-contained, no script), and the same timeline as a Mermaid Gantt chart for GitHub's job
/// summary. Every text in a <see cref="BuildResult"/> is masked already.
/// </summary>
internal static class BuildReport
{
    public const string FileName = "build-report.html";

    public static string ToHtml(BuildResult result)
    {
        var ran = result.Targets.Where(t => t.Duration > TimeSpan.Zero || t.Status is TargetStatus.Cached or TargetStatus.Succeeded or TargetStatus.Failed).ToList();
        var end = result.Targets.Select(t => t.Start + t.Duration).DefaultIfEmpty(TimeSpan.Zero).Max();
        var total = Math.Max(end.TotalMilliseconds, 1);
        var html = new StringBuilder()
            .AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build report</title><style>")
            .AppendLine("body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;width:100%}")
            .AppendLine("td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:middle}")
            .AppendLine(".track{position:relative;height:18px;background:#f3f3f3;min-width:400px}.bar{position:absolute;top:0;height:18px;border-radius:3px}")
            .AppendLine(".Succeeded{background:#2e9d48}.Cached{background:#3b7dd8}.Failed{background:#d33}.Cancelled{background:#e0a000}")
            .AppendLine(".Skipped,.NotRun,.Scheduled,.Running{background:#aaa}.notes{color:#555;font-size:12px}")
            .AppendLine("</style></head><body>")
            .AppendLine(CultureInfo.InvariantCulture, $"<h1>{Encode(SummaryWriter.FinalLine(result))}</h1>")
            .AppendLine(CultureInfo.InvariantCulture, $"<p>Invoked: {Encode(string.Join(' ', result.InvokedTargets))} · {ran.Count} of {result.Targets.Count} targets ran or were restored · time axis 0:00 to {SummaryWriter.FormatDuration(end)}</p>")
            .AppendLine("<table><thead><tr><th>Target</th><th>Status</th><th>Start</th><th>Duration</th><th>Timeline</th><th>Cache and notes</th></tr></thead><tbody>");
        foreach (var target in result.Targets)
        {
            var left = target.Start.TotalMilliseconds / total * 100;
            var width = Math.Max(target.Duration.TotalMilliseconds / total * 100, 0.5);
            var notes = new List<string>();
            if (target.CacheKey is { } key)
            {
                notes.Add(target.Status == TargetStatus.Cached ? $"restored from cache entry {key[..Math.Min(12, key.Length)]}" : $"cache entry {key[..Math.Min(12, key.Length)]} recorded");
            }

            notes.AddRange(target.SkipReason is null ? [] : [target.SkipReason]);
            notes.AddRange(target.Notes.Select(n => $"{n.Key}: {n.Value}"));
            if (target.Status == TargetStatus.Failed && target.ErrorMessage is not null)
            {
                notes.Add(target.ErrorMessage.Split('\n')[0]);
            }

            html.AppendLine(CultureInfo.InvariantCulture, $"<tr data-target=\"{Encode(target.Name)}\" data-status=\"{target.Status}\"><td>{Encode(target.Name)}</td><td>{target.Status}</td>")
                .AppendLine(CultureInfo.InvariantCulture, $"<td>{SummaryWriter.FormatDuration(target.Start)}</td><td>{SummaryWriter.FormatDuration(target.Duration)}</td>")
                .AppendLine(CultureInfo.InvariantCulture, $"<td><div class=\"track\"><div class=\"bar {target.Status}\" style=\"left:{left:0.##}%;width:{width:0.##}%\"></div></div></td>")
                .AppendLine(CultureInfo.InvariantCulture, $"<td class=\"notes\">{Encode(string.Join("; ", notes))}</td></tr>");
        }

        return html.AppendLine("</tbody></table></body></html>").ToString();
    }

    /// <summary>The targets that ran or were restored, as a Mermaid Gantt chart (milliseconds since the start).</summary>
    public static string ToMermaidGantt(BuildResult result)
    {
        var chart = new StringBuilder()
            .AppendLine("```mermaid")
            .AppendLine("gantt")
            .AppendLine("    title Targets on a time axis")
            .AppendLine("    dateFormat x")
            .AppendLine("    axisFormat %M:%S");
        foreach (var target in result.Targets.Where(t => t.Status is not (TargetStatus.Skipped or TargetStatus.NotRun or TargetStatus.Scheduled)))
        {
            var tag = target.Status switch
            {
                TargetStatus.Failed or TargetStatus.Cancelled => "crit, ",
                TargetStatus.Cached => "done, ",
                _ => string.Empty,
            };
            var start = (long)target.Start.TotalMilliseconds;
            var finish = start + Math.Max(1, (long)target.Duration.TotalMilliseconds);
            var label = target.Status == TargetStatus.Cached ? $"{target.Name} (cached)" : target.Name;
            chart.AppendLine(CultureInfo.InvariantCulture, $"    {label.Replace(':', ' ')} : {tag}{start}, {finish}");
        }

        return chart.AppendLine("```").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
