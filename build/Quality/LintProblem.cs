namespace ExampleService.Build.Quality;

/// <summary>One problem a lint check found, located by file and line (file relative to the repository root).</summary>
public sealed record LintProblem(string Kind, string File, int Line, int? Column, string Code, string Message)
{
    /// <summary>"src/Api/Program.cs:12: WHITESPACE: Fix whitespace formatting." — clickable in terminals and IDEs.</summary>
    public override string ToString() => $"{File}:{Line}: {Code}: {Message}";
}
