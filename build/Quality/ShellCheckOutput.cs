using System.Globalization;
using System.Text.RegularExpressions;

namespace ExampleService.Build.Quality;

/// <summary>Parses <c>shellcheck -f gcc</c> output: <c>file:line:column: severity: message [SC2086]</c>.</summary>
public static partial class ShellCheckOutput
{
    public const string Kind = "shell";

    public static IReadOnlyList<LintProblem> Parse(IEnumerable<string> lines)
        => [.. lines
            .Select(line => GccLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new LintProblem(
                Kind,
                match.Groups["file"].Value,
                int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture),
                match.Groups["code"].Value,
                $"{match.Groups["severity"].Value}: {match.Groups["message"].Value}"))];

    [GeneratedRegex(@"^(?<file>[^:]+):(?<line>\d+):(?<column>\d+): (?<severity>\w+): (?<message>.*?) \[(?<code>SC\d+)\]$")]
    private static partial Regex GccLine();
}
