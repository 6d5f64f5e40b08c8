using System.Text.Json;

namespace ExampleService.Build.Quality;

/// <summary>
/// The problems one lint check found, as JSON under <c>artifacts/lint/</c>: the output a cached check stores, and
/// what a restored check reads back, so a hit reports the same problems the run found.
/// </summary>
public static class LintProblemsFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary><c>artifacts/lint/helm-lint-problems.json</c> for the kind "helm lint".</summary>
    public static string PathOf(string kind) => $"artifacts/lint/{kind.Replace(' ', '-')}-problems.json";

    public static void Save(string path, IReadOnlyList<LintProblem> problems)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(problems, Options));
    }

    public static IReadOnlyList<LintProblem> Load(string path)
        => JsonSerializer.Deserialize<List<LintProblem>>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"{path} holds no list of lint problems.");
}
