using System.Globalization;
using System.Text.RegularExpressions;

namespace ExampleService.Build.Quality;

/// <summary>A compiler or analyzer diagnostic MSBuild printed: <c>file(line,col): warning CA1822: message [project]</c>.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, bool IsError, string Code, string Message)
{
    /// <summary>Analyzer rules (CA, IDE, Sonar's S) as opposed to the compiler's own CS diagnostics.</summary>
    public bool IsAnalyzer => !Code.StartsWith("CS", StringComparison.Ordinal);

    public const string Kind = "analyzers";

    public LintProblem ToLintProblem() => new(Kind, File, Line, Column, Code, Message);

    public override string ToString() => $"{File}:{Line}: {Code}: {Message}";
}

/// <summary>Collects the diagnostics of an MSBuild run from its console output, once each (MSBuild repeats them in its summary).</summary>
public static partial class BuildDiagnostics
{
    public static IReadOnlyList<BuildDiagnostic> Parse(IEnumerable<string> lines, string rootDirectory)
        => [.. lines
            .Select(line => DiagnosticLine().Match(line.Trim()))
            .Where(match => match.Success)
            .Select(match => new BuildDiagnostic(
                RelativeFile(match.Groups["file"].Value, rootDirectory),
                int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture),
                match.Groups["severity"].Value == "error",
                match.Groups["code"].Value,
                match.Groups["message"].Value.Trim()))
            .Distinct()];

    static string RelativeFile(string file, string rootDirectory)
        => Path.IsPathRooted(file) ? Path.GetRelativePath(rootDirectory, file) : file;

    [GeneratedRegex(@"^(?<file>[^(]+)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>error|warning) (?<code>[A-Z]+\d+): (?<message>.*?)(?: \[[^\]]+\])?$")]
    private static partial Regex DiagnosticLine();
}
