using ExampleService.Build.Delivery.Helm;
using TypedBuild.Processes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The chart lint check's reading of <c>helm lint --strict</c>: findings located at the template and line, in both
/// Helm majors' formats, checked on the real output of both binaries for a broken copy of the chart.
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class ChartLintTests(HelmToolchain toolchain)
{
    [Fact]
    public void Every_declared_environment_values_file_is_linted()
    {
        var root = TypedBuild.AbsolutePath.Create(HelmToolchain.RepositoryRoot);
        Assert.Equal(
            ["values-dev.yaml", "values-staging.yaml", "values-prod.yaml", "values-kind.yaml"],
            ChartLint.ValuesFiles(root, ExampleService.Build.Delivery.Environments.EnvironmentDeclaration.Load(root)).Select(Path.GetFileName));
    }

    [Fact]
    public void A_clean_run_has_no_problems()
    {
        var result = Output(0, "==> Linting charts/example-service", "[INFO] Chart.yaml: icon is recommended", "", "1 chart(s) linted, 0 chart(s) failed");

        Assert.Empty(ChartLint.Problems(result, "charts/example-service", "values-dev.yaml"));
    }

    [Fact]
    public void A_warning_counts_under_strict_and_points_at_its_file()
    {
        var result = Output(1, "[WARNING] templates/service.yaml: object name does not conform to Kubernetes naming requirements", "Error: 1 chart(s) linted, 1 chart(s) failed");

        var problem = Assert.Single(ChartLint.Problems(result, "charts/example-service", "values-prod.yaml"));

        Assert.Equal(("charts/example-service/templates/service.yaml", 1, "WARNING"), (problem.File, problem.Line, problem.Code));
        Assert.EndsWith("(with values-prod.yaml)", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task A_template_error_is_located_at_its_template_line_with_either_major(int major)
    {
        var chart = BrokenChartCopy();
        try
        {
            var result = await toolchain.RunHelmAsync(major, HelmCommandBuilder.Lint(chart, Path.Combine(chart, "values-dev.yaml")), allowFailure: true);

            var problem = Assert.Single(ChartLint.Problems(result, "charts/example-service", "values-dev.yaml"));
            Assert.Equal(("charts/example-service/templates/service.yaml", 2, "ERROR"), (problem.File, problem.Line, problem.Code));
            Assert.Contains("nil pointer evaluating interface {}.port", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(chart, recursive: true);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task A_values_file_that_is_not_yaml_is_reported_on_that_file(int major)
    {
        var chart = BrokenChartCopy();
        try
        {
            var values = Path.Combine(chart, "values-broken.yaml");
            await File.WriteAllTextAsync(values, "replicaCount: [\n");

            var result = await toolchain.RunHelmAsync(major, HelmCommandBuilder.Lint(chart, values), allowFailure: true);

            var problem = Assert.Single(ChartLint.Problems(result, "charts/example-service", "values-broken.yaml"));
            Assert.Equal("charts/example-service/values-broken.yaml", problem.File);
            Assert.StartsWith("Error: failed to parse", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(chart, recursive: true);
        }
    }

    /// <summary>A copy of the chart whose service.yaml reads a value that does not exist on its second line.</summary>
    private static string BrokenChartCopy()
    {
        var copy = Directory.CreateTempSubdirectory("broken-chart-").FullName;
        foreach (var file in Directory.GetFiles(HelmToolchain.ChartDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(HelmToolchain.ChartDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var service = Path.Combine(copy, "templates", "service.yaml");
        File.WriteAllText(service, "apiVersion: v1\n# {{ .Values.missing.port }}\n" + File.ReadAllText(service).Split('\n', 2)[1]);
        return copy;
    }

    private static ProcessResult Output(int exitCode, params string[] lines) =>
        new(exitCode, [.. lines.Select(l => new ProcessOutputLine(l.StartsWith("Error", StringComparison.Ordinal), l))]);
}
