using TypedBuild.Hosts;
using TypedBuild.Logging;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

public class BuildLogTests
{
    private static (BuildLog Log, StringWriter Output, RecordingHost Host) Create(
        bool isTerminal, Verbosity verbosity = Verbosity.Normal, params (string Key, string? Value)[] environment)
    {
        var output = new StringWriter();
        var host = new RecordingHost();
        var console = BuildLog.CreateConsole(output, environment.ToDictionary(e => e.Key, e => e.Value), isTerminal);
        var masker = new SecretMasker();
        masker.Register("s3cret-value");
        return (new BuildLog(console, masker, host, verbosity, timestamps: false), output, host);
    }

    [Fact]
    public void A_terminal_gets_colours()
    {
        var (log, output, _) = Create(isTerminal: true);

        log.Error("broken");

        Assert.Contains('\u001b', output.ToString());
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "1")]
    public void Without_a_terminal_or_with_NO_COLOR_output_is_plain(bool isTerminal, string? noColor)
    {
        var (log, output, _) = Create(isTerminal, Verbosity.Normal, ("NO_COLOR", noColor));

        log.Error("broken [red]not markup[/]");

        Assert.DoesNotContain('\u001b', output.ToString());
        Assert.Equal("ERR broken [red]not markup[/]", output.ToString().TrimEnd());
    }

    [Fact]
    public void Messages_are_masked_and_problems_become_annotations_and_the_recap()
    {
        var (log, output, host) = Create(isTerminal: false);
        log.CurrentTarget = () => "Deploy";

        log.Information("token s3cret-value");
        log.Warning("slow s3cret-value", "a.cs", 3);
        log.WriteRecap();

        Assert.DoesNotContain("s3cret-value", output.ToString());
        Assert.Contains("INF token ***", output.ToString());
        Assert.Contains((AnnotationLevel.Warning, "slow ***"), host.Annotations);
        Assert.Contains("Errors & warnings", output.ToString());
        Assert.Contains("WRN Deploy: slow ***", output.ToString());
    }

    [Fact]
    public void Verbosity_filters_levels_but_problems_are_still_recorded()
    {
        var (log, output, _) = Create(isTerminal: false, Verbosity.Quiet);

        log.Debug("debug");
        log.Information("info");
        log.Warning("warning");
        log.Error("error");

        Assert.Equal("ERR error", output.ToString().TrimEnd());
        Assert.Equal(2, log.Problems.Count);
    }
}
