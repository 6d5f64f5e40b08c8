using System.Text.RegularExpressions;

namespace ExampleService.Build.Quality;

/// <summary>Reads the quality gate status <c>dotnet-sonarscanner end</c> prints when <c>sonar.qualitygate.wait=true</c>.</summary>
public static partial class QualityGate
{
    /// <summary>"OK", "ERROR", "WARN"… or null when the output holds no status line.</summary>
    public static string? Status(IEnumerable<string> outputLines)
        => outputLines.Select(line => StatusLine().Match(line)).LastOrDefault(m => m.Success)?.Groups["status"].Value;

    public static bool Passed(string? status) => status is "OK" or "PASSED" or "SUCCESS";

    [GeneratedRegex(@"QUALITY GATE STATUS:?\s*(?<status>[A-Z_]+)", RegexOptions.IgnoreCase)]
    private static partial Regex StatusLine();
}
