using ExampleService.Build.Quality;

namespace Build.Tests.Quality;

public class LintParsingTests
{
    [Fact]
    public void Dotnet_format_report_becomes_file_line_problems_relative_to_the_root()
    {
        const string report = """
            [
              {
                "DocumentId": { "ProjectId": { "Id": "d9479d79-392a-4a9a-8816-f49e6ce6c726" }, "Id": "1b36ed2e-fc0a-4112-b239-c974ce49a434" },
                "FileName": "Calculator.cs",
                "FilePath": "/repo/src/Lib/Calculator.cs",
                "FileChanges": [
                  { "LineNumber": 20, "CharNumber": 49, "DiagnosticId": "WHITESPACE", "FormatDescription": "Fix whitespace formatting. Delete 2 characters." },
                  { "LineNumber": 3, "CharNumber": 1, "DiagnosticId": "IDE0161", "FormatDescription": "Convert to file-scoped namespace" }
                ]
              }
            ]
            """;

        var problems = DotNetFormatReport.Parse(report, "/repo");

        Assert.Equal(
            ["src/Lib/Calculator.cs:3: IDE0161: Convert to file-scoped namespace", "src/Lib/Calculator.cs:20: WHITESPACE: Fix whitespace formatting. Delete 2 characters."],
            problems.Select(p => p.ToString()));
        Assert.All(problems, p => Assert.Equal("format", p.Kind));
    }

    [Fact]
    public void A_file_of_several_projects_is_reported_once_without_repeating_severity_and_code()
    {
        const string entry = """
            {
              "FilePath": "/repo/src/Shared/Cluster.cs",
              "FileChanges": [ { "LineNumber": 25, "CharNumber": 37, "DiagnosticId": "IDE1006", "FormatDescription": "error IDE1006: Naming rule violation: Prefix '_' is not expected" } ]
            }
            """;

        var problems = DotNetFormatReport.Parse($"[{entry}, {entry}]", "/repo");

        Assert.Equal(["src/Shared/Cluster.cs:25: IDE1006: Naming rule violation: Prefix '_' is not expected"], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Empty_dotnet_format_report_has_no_problems()
        => Assert.Empty(DotNetFormatReport.Parse("[]", "/repo"));

    [Fact]
    public void Shellcheck_gcc_output_becomes_file_line_problems()
    {
        string[] output =
        [
            "build.sh:2:6: warning: foo is referenced but not assigned. [SC2154]",
            "scripts/db.sh:14:3: note: Double quote to prevent globbing and word splitting. [SC2086]",
            "In some other format without location",
        ];

        var problems = ShellCheckOutput.Parse(output);

        Assert.Equal(
            [new LintProblem("shell", "build.sh", 2, 6, "SC2154", "warning: foo is referenced but not assigned."), new LintProblem("shell", "scripts/db.sh", 14, 3, "SC2086", "note: Double quote to prevent globbing and word splitting.")],
            problems);
    }

    [Fact]
    public void Msbuild_diagnostics_are_parsed_once_each_with_analyzers_told_from_compiler_errors()
    {
        string[] output =
        [
            "  Determining projects to restore...",
            "/repo/src/Api/Program.cs(12,17): warning CA1822: Member 'Get' does not access instance data and can be marked as static (https://learn.microsoft.com/dotnet/fundamentals/code-analysis/quality-rules/ca1822) [/repo/src/Api/Api.csproj]",
            "/repo/src/Api/Users.cs(3,1): error CS1002: ; expected [/repo/src/Api/Api.csproj]",
            "/repo/src/Api/Users.cs(8,5,8,20): warning S1118: Add a 'protected' constructor or the 'static' keyword to the class declaration. [/repo/src/Api/Api.csproj]",
            "/repo/src/Api/Program.cs(12,17): warning CA1822: Member 'Get' does not access instance data and can be marked as static (https://learn.microsoft.com/dotnet/fundamentals/code-analysis/quality-rules/ca1822) [/repo/src/Api/Api.csproj]",
            "    2 Warning(s)",
        ];

        var diagnostics = BuildDiagnostics.Parse(output, "/repo");

        Assert.Equal(3, diagnostics.Count);
        Assert.Equal(new BuildDiagnostic("src/Api/Program.cs", 12, 17, false, "CA1822", "Member 'Get' does not access instance data and can be marked as static (https://learn.microsoft.com/dotnet/fundamentals/code-analysis/quality-rules/ca1822)"), diagnostics[0]);
        Assert.True(diagnostics[1].IsError);
        Assert.False(diagnostics[1].IsAnalyzer);
        Assert.Equal("src/Api/Users.cs:8: S1118: Add a 'protected' constructor or the 'static' keyword to the class declaration.", diagnostics[2].ToLintProblem().ToString());
    }
}
