using ExampleService.Build.Quality;

namespace Build.Tests.Quality;

public sealed class CoverageSummaryTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"cobertura-{Guid.NewGuid():N}.xml");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Reads_line_and_branch_coverage_from_the_counts()
    {
        File.WriteAllText(_file, """<coverage line-rate="0.81" branch-rate="0.5" lines-covered="813" lines-valid="1000" branches-covered="1" branches-valid="3"><packages /></coverage>""");

        var summary = CoverageSummary.ReadCobertura(_file);

        Assert.Equal(81.3, summary.LinePercent, precision: 6);
        Assert.Equal(100.0 / 3, summary.BranchPercent, precision: 6);
        Assert.Equal("line 81.3%, branch 33.3%", summary.ToString());
    }

    [Fact]
    public void Lists_each_assembly_lowest_line_coverage_first()
    {
        File.WriteAllText(_file, """
            <coverage line-rate="0.8" branch-rate="0.5" lines-covered="8" lines-valid="10" branches-covered="1" branches-valid="2">
              <packages>
                <package name="TypedBuild" line-rate="0.9" branch-rate="0.75" />
                <package name="ExampleService" line-rate="0.6125" branch-rate="0.25" />
              </packages>
            </coverage>
            """);

        var summary = CoverageSummary.ReadCobertura(_file);

        Assert.Equal(
            ["ExampleService 61.2% line, 25.0% branch", "TypedBuild 90.0% line, 75.0% branch"],
            summary.Assemblies.Select(a => a.ToString()));
    }

    [Fact]
    public void Falls_back_to_the_rates_without_counts()
    {
        File.WriteAllText(_file, """<coverage line-rate="0.9" branch-rate="0.75" />""");

        var summary = CoverageSummary.ReadCobertura(_file);

        Assert.Equal((90.0, 75.0), (summary.LinePercent, summary.BranchPercent));
    }

    [Fact]
    public void A_file_that_is_not_cobertura_is_a_clear_error()
    {
        File.WriteAllText(_file, "<CoverageSession />");

        var error = Assert.Throws<InvalidOperationException>(() => CoverageSummary.ReadCobertura(_file));

        Assert.Contains("not a Cobertura report", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Below_the_thresholds_both_figures_are_named()
    {
        var summary = new CoverageSummary(81.35, 60, 0, 0);

        var violations = new CoverageThresholds(85, 70).Violations(summary);

        Assert.Equal(
            ["Line coverage 81.3% is below the required 85%", "Branch coverage 60.0% is below the required 70%"],
            violations);
    }

    [Fact]
    public void A_figure_just_below_the_threshold_is_not_printed_as_equal_to_it()
    {
        var violations = new CoverageThresholds(85, 0).Violations(new CoverageSummary(84.99, 100, 0, 0));

        Assert.Equal(["Line coverage 84.9% is below the required 85%"], violations);
    }

    [Fact]
    public void Meeting_the_thresholds_passes()
        => Assert.Empty(new CoverageThresholds(85, 70).Violations(new CoverageSummary(85, 70, 0, 0)));
}
