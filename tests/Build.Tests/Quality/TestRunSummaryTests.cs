using System.Xml.Linq;
using ExampleService.Build.Quality;

namespace Build.Tests.Quality;

public class TestRunSummaryTests
{
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testName="Lib.Tests.CalculatorTests.Add_adds" outcome="Passed" />
            <UnitTestResult testName="Lib.Tests.CalculatorTests.Sign(value: 5)" outcome="Failed">
              <Output>
                <ErrorInfo>
                  <Message>Assert.Equal() Failure: Values differ
        Expected: -1
        Actual:   1</Message>
                  <StackTrace>at Lib.Tests.CalculatorTests.Sign()</StackTrace>
                </ErrorInfo>
              </Output>
            </UnitTestResult>
            <UnitTestResult testName="Lib.Tests.CalculatorTests.Skipped" outcome="NotExecuted" />
            <UnitTestResult testName="Lib.Tests.CalculatorTests.Times_out" outcome="Timeout" />
          </Results>
          <ResultSummary outcome="Failed">
            <RunInfos>
              <RunInfo computerName="vm" outcome="Warning"><Text>just a warning</Text></RunInfo>
              <RunInfo computerName="vm" outcome="Error"><Text>[xUnit.net 00:00:00.96]     Lib.Tests.CalculatorTests.Sign(value: 5) [FAIL]</Text></RunInfo>
            </RunInfos>
          </ResultSummary>
        </TestRun>
        """;

    [Fact]
    public void Counts_passed_failed_and_skipped_tests()
    {
        var summary = TestRunSummary.ParseTrx(XDocument.Parse(Trx));

        Assert.Equal((1, 2, 1), (summary.Passed, summary.Failed, summary.Skipped));
        Assert.Equal(4, summary.Total);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public void Run_errors_that_only_echo_a_failed_test_are_not_repeated()
        => Assert.Empty(TestRunSummary.ParseTrx(XDocument.Parse(Trx)).RunErrors);

    [Fact]
    public void Names_each_failing_test_with_the_first_line_of_its_message()
    {
        var summary = TestRunSummary.ParseTrx(XDocument.Parse(Trx));

        Assert.Equal(
            [new FailedTest("Lib.Tests.CalculatorTests.Sign(value: 5)", "Assert.Equal() Failure: Values differ"), new FailedTest("Lib.Tests.CalculatorTests.Times_out", "(no message)")],
            summary.Failures);
        Assert.Equal(
            "2 tests failed: Lib.Tests.CalculatorTests.Sign(value: 5), Lib.Tests.CalculatorTests.Times_out",
            summary.FailureMessage());
    }

    [Fact]
    public void Run_errors_such_as_a_crashed_test_host_fail_the_run()
    {
        var trx = XDocument.Parse("""
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="Failed"><RunInfos>
                <RunInfo outcome="Error"><Text>The active test run was aborted. Reason: Test host process crashed</Text></RunInfo>
              </RunInfos></ResultSummary>
            </TestRun>
            """);

        var summary = TestRunSummary.ParseTrx(trx);

        Assert.False(summary.Succeeded);
        Assert.Equal("The active test run was aborted. Reason: Test host process crashed", summary.FailureMessage());
    }

    [Fact]
    public void Sums_several_trx_files()
    {
        var directory = Directory.CreateTempSubdirectory("trx-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "a.trx"), Trx);
            File.WriteAllText(Path.Combine(directory.FullName, "b.trx"), Trx);

            var summary = TestRunSummary.ReadTrxFiles(Directory.GetFiles(directory.FullName));

            Assert.Equal("2 passed, 4 failed, 2 skipped", summary.ToString());
            Assert.Equal(4, summary.Failures.Count);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

public sealed class TestRunArgumentsTests
{
    [Theory]
    [InlineData(TestSuite.WithoutDocker)]
    [InlineData(TestSuite.DockerOnly)]
    [InlineData(TestSuite.JobProofOnly)]
    public void A_suite_s_filter_is_passed_once(string filter)
    {
        var arguments = TestRun.Arguments(new TestRunOptions("app.sln", "Release", "results", "coverage", "run.settings") { Filter = filter });

        Assert.Equal(1, arguments.Count(a => a == "--filter"));
        Assert.Equal(filter, arguments[arguments.ToList().IndexOf("--filter") + 1]);
    }

    [Fact]
    public void Without_a_filter_every_test_runs()
        => Assert.DoesNotContain("--filter", TestRun.Arguments(new TestRunOptions("app.sln", "Release", "results", "coverage", "run.settings")));
}
