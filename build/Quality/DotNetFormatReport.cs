using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExampleService.Build.Quality;

/// <summary>Reads the JSON report <c>dotnet format --report</c> writes: one entry per file, one change per problem.</summary>
public static partial class DotNetFormatReport
{
    public const string Kind = "format";

    static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static IReadOnlyList<LintProblem> Parse(string json, string rootDirectory)
    {
        var files = JsonSerializer.Deserialize<List<FormattedFile>>(json, Options) ?? [];
        return [.. files
            .SelectMany(file => file.FileChanges.Select(change => new LintProblem(
                Kind,
                Path.GetRelativePath(rootDirectory, file.FilePath),
                change.LineNumber,
                change.CharNumber,
                change.DiagnosticId,
                RedundantSeverityAndCode().Replace(change.FormatDescription, ""))))
            // A file compiled into several projects is reported once per project.
            .Distinct()
            .OrderBy(p => p.File, StringComparer.Ordinal)
            .ThenBy(p => p.Line)];
    }

    /// <summary>Analyzer changes read "error IDE1006: Naming rule violation…"; the code is already a field.</summary>
    [GeneratedRegex(@"^(?:error|warning|info) [A-Z]+\d+: ")]
    private static partial Regex RedundantSeverityAndCode();

    sealed record FormattedFile(string FilePath, IReadOnlyList<FileChange> FileChanges);

    sealed record FileChange(int LineNumber, int CharNumber, string DiagnosticId, string FormatDescription);
}
