using System.Text.Json;

namespace ExampleService.Build.Quality;

/// <summary>Reads the JSON report <c>dotnet format --report</c> writes: one entry per file, one change per problem.</summary>
public static class DotNetFormatReport
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
                change.FormatDescription)))
            .OrderBy(p => p.File, StringComparer.Ordinal)
            .ThenBy(p => p.Line)];
    }

    sealed record FormattedFile(string FilePath, IReadOnlyList<FileChange> FileChanges);

    sealed record FileChange(int LineNumber, int CharNumber, string DiagnosticId, string FormatDescription);
}
