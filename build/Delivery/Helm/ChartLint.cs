using System.Globalization;
using System.Text.RegularExpressions;
using ExampleService.Build.Delivery.Environments;
using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Processes;

namespace ExampleService.Build.Delivery.Helm;

/// <summary>Turns <c>helm lint --strict</c> output (Helm 3 and Helm 4 formats) into located lint problems.</summary>
public static partial class ChartLint
{
    public const string Kind = "helm lint";

    /// <summary>The values file of every declared environment that has one and where it exists, in declaration order.</summary>
    public static IReadOnlyList<string> ValuesFiles(AbsolutePath root, EnvironmentDeclaration environments) =>
        [.. environments.All.Where(e => e.ValuesFile is not null).Select(e => (string)(root / e.ValuesFile!)).Where(File.Exists)];

    /// <summary>
    /// The [ERROR] and [WARNING] findings of one lint run (warnings fail under --strict), each with its continuation
    /// lines; a failed run without findings (unparseable values file) becomes one problem on the values file.
    /// </summary>
    public static IReadOnlyList<LintProblem> Problems(ProcessResult result, string chartPath, string valuesFileName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = result.Output.Select(l => l.Text).ToList();
        var problems = Findings(lines).Select(finding =>
        {
            var location = TemplateLocation().Match(finding.Message);
            var file = location.Success ? location.Groups["file"].Value : finding.File.TrimEnd('/');
            var line = location.Success ? int.Parse(location.Groups["line"].Value, CultureInfo.InvariantCulture) : 1;
            return new LintProblem(Kind, $"{chartPath}/{file}", line, null, finding.Level, $"{finding.Message} (with {valuesFileName})");
        }).ToList();

        if (problems.Count == 0 && result.ExitCode != 0)
        {
            var error = lines.LastOrDefault(l => l.StartsWith("Error:", StringComparison.Ordinal)) ?? string.Join(' ', lines.TakeLast(3));
            problems.Add(new LintProblem(Kind, $"{chartPath}/{valuesFileName}", 1, null, "ERROR", error.Trim()));
        }

        return problems;
    }

    /// <summary>Each [ERROR]/[WARNING] line joined with the indented lines that continue it (Helm 4 wraps messages).</summary>
    private static IEnumerable<(string Level, string File, string Message)> Findings(IEnumerable<string> lines)
    {
        (string Level, string File, List<string> Parts)? current = null;
        foreach (var line in lines)
        {
            if (current is { } open && line.StartsWith(' '))
            {
                open.Parts.Add(line.Trim());
                continue;
            }

            if (current is { } done)
            {
                yield return (done.Level, done.File, string.Join(' ', done.Parts));
                current = null;
            }

            if (Finding().Match(line) is { Success: true } finding)
            {
                current = (finding.Groups["level"].Value, finding.Groups["file"].Value, [finding.Groups["message"].Value.Trim()]);
            }
        }

        if (current is { } last)
        {
            yield return (last.Level, last.File, string.Join(' ', last.Parts));
        }
    }

    [GeneratedRegex(@"^\[(?<level>ERROR|WARNING)\] (?<file>[^:]*): ?(?<message>.*)$")]
    private static partial Regex Finding();

    [GeneratedRegex(@"(?:[\w.-]+/)?(?<file>templates/[\w./-]+):(?<line>\d+)")]
    private static partial Regex TemplateLocation();
}
