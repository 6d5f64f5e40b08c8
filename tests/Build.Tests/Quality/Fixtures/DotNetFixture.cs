using CliWrap.Buffered;

namespace Build.Tests.Quality.Fixtures;

/// <summary>
/// A tiny solution named like the real one (the build definition builds <c>ExampleService.sln</c>): a library with
/// an uncovered branch, a test project with a passing, a skipped and an on-demand failing test, a badly indented
/// C# file and a shell script with a shellcheck finding. Compiled and tested once for all tests of a class.
/// </summary>
public sealed class DotNetFixture : IAsyncLifetime
{
    /// <summary>Set to 1 to make <see cref="FailingTestName"/> fail.</summary>
    public const string FailVariable = "QUALITY_FIXTURE_FAIL";

    public const string FailingTestName = "Calc.Tests.CalculatorTests.Fails_on_demand";

    public const string BadlyFormattedFile = "src/Calc/Badly.cs";

    public const string BadScript = "scripts/greet.sh";

    public FixtureRepository Repository { get; } = new();

    /// <summary>The first run, <c>Test Coverage</c> with thresholds it meets.</summary>
    public BuildRun PassingRun { get; private set; } = null!;

    /// <summary>Every file under <c>artifacts/</c> right after <see cref="PassingRun"/>, relative and with forward slashes.</summary>
    public IReadOnlyList<string> PassingRunArtifacts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Repository.CopyFromRepository("dotnet-tools.json");
        Repository.CopyFromRepository("build/coverage.runsettings");
        Repository.Write("src/Calc/Calc.csproj", Project(""));
        Repository.Write("src/Calc/Calculator.cs", """
            namespace Calc;

            public static class Calculator
            {
                public static int Add(int a, int b) => a + b;

                public static int Divide(int a, int b)
                {
                    if (b == 0)
                    {
                        throw new DivideByZeroException("b must not be 0");
                    }

                    return a / b;
                }
            }

            """);
        Repository.Write(BadlyFormattedFile, "namespace Calc;\n\npublic static class Badly\n{\n        public static int One() => 1;\n}\n");
        Repository.Write("tests/Calc.Tests/Calc.Tests.csproj", Project("""
              <PropertyGroup>
                <IsTestProject>true</IsTestProject>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.4" />
                <PackageReference Include="coverlet.collector" Version="10.0.1" />
                <PackageReference Include="JunitXml.TestLogger" Version="8.1.0" />
                <ProjectReference Include="../../src/Calc/Calc.csproj" />
              </ItemGroup>
            """));
        Repository.Write("tests/Calc.Tests/CalculatorTests.cs", $$"""
            using Xunit;

            namespace Calc.Tests;

            public class CalculatorTests
            {
                [Fact]
                public void Adds() => Assert.Equal(3, Calculator.Add(1, 2));

                [Fact]
                public void Fails_on_demand() => Assert.NotEqual("1", Environment.GetEnvironmentVariable("{{FailVariable}}"));

                [Fact(Skip = "shows up as skipped")]
                public void Skipped() => Assert.Fail("skipped");
            }

            """);
        Repository.Write(BadScript, "#!/usr/bin/env bash\nname=$1\necho Hello $name\n");
        Repository.Write(".gitignore", "bin/\nobj/\nartifacts/\n");

        await DotNetAsync("new", "sln", "--name", "ExampleService", "--format", "sln");
        await DotNetAsync("sln", "ExampleService.sln", "add", "src/Calc/Calc.csproj", "tests/Calc.Tests/Calc.Tests.csproj");
        await GitAsync("init", "--quiet");

        PassingRun = await Repository.RunAsync("Test", "Coverage", "--coverage-line-threshold", "10", "--coverage-branch-threshold", "0");
        var artifacts = Repository.PathOf("artifacts");
        PassingRunArtifacts = Directory.Exists(artifacts)
            ? [.. Directory.GetFiles(artifacts, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'))]
            : [];
    }

    public Task DisposeAsync()
    {
        Repository.Dispose();
        return Task.CompletedTask;
    }

    private static string Project(string content) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        {content}
        </Project>

        """;

    private Task DotNetAsync(params string[] arguments) => ToolAsync("dotnet", arguments);

    private Task GitAsync(params string[] arguments) => ToolAsync("git", arguments);

    private async Task ToolAsync(string tool, string[] arguments)
    {
        var result = await CliWrap.Cli.Wrap(tool).WithArguments(arguments).WithWorkingDirectory(Repository.Root)
            .WithValidation(CliWrap.CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed: {result.StandardOutput}{result.StandardError}");
        }
    }
}
