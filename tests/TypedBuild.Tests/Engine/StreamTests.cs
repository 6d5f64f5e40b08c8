using System.Text.Json;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

/// <summary>Results on stdout, diagnostics on stderr, colours only where they are rendered.</summary>
public sealed class StreamTests : IDisposable
{
    private readonly BuildHarness _harness = new() { DetectHost = true };

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Plan_json_on_github_with_a_secret_is_exactly_one_json_document_on_stdout()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["API_TOKEN"] = "tok-123456";

        var outcome = _harness.Run<ParameterBuild>("Show", "--plan", "--json");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        using var plan = JsonDocument.Parse(outcome.StandardOutput);
        Assert.Equal("Show", plan.RootElement.GetProperty("invoked")[0].GetString());
        Assert.Contains("::add-mask::tok-123456", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_go_to_stderr_and_leave_stdout_empty()
    {
        var outcome = _harness.Run<ParameterBuild>("Shwo", "--plan", "--json");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Equal("", outcome.StandardOutput);
        Assert.Contains("Unknown target 'Shwo'", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_goes_to_stdout()
    {
        var outcome = _harness.Run<ParameterBuild>("--help");

        Assert.Contains("Shows parameters", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", outcome.StandardError);
    }

    [Fact]
    public void A_detected_host_that_renders_ansi_gets_colours_but_not_when_host_is_overridden_or_no_color_is_set()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        var detected = _harness.Run<FailureBuild>("Compile", "--fail-compile");
        var overridden = _harness.Run<FailureBuild>("Compile", "--fail-compile", "--host", "local");
        _harness.Environment["NO_COLOR"] = "1";
        var noColor = _harness.Run<FailureBuild>("Compile", "--fail-compile");

        Assert.Contains("\u001b[", detected.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', overridden.Output);
        Assert.DoesNotContain('\u001b', noColor.Output);
    }

    [Fact]
    public void An_unknown_host_is_a_usage_error_without_the_argument_name_of_the_api()
    {
        var outcome = _harness.Run<ParameterBuild>("Show", "--host", "githb");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("Unknown host 'githb'. Did you mean 'github'? Valid values for --host: local, github, gitlab, concourse.", outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", outcome.Output, StringComparison.Ordinal);
    }
}
