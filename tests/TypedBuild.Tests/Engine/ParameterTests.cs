using TypedBuild.Parameters;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

/// <summary>Parameter sources, their precedence, conversion, errors, profiles and the generated schema.</summary>
public sealed class ParameterTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private ParameterBuild Run(params string[] args)
    {
        var outcome = _harness.Run<ParameterBuild>(["Show", .. args]);
        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.Output);
        return outcome.Build;
    }

    [Fact]
    public void Precedence_is_command_line_then_environment_then_profile_file_then_parameters_file_then_default()
    {
        Assert.Equal("initial", Run().Name);

        _harness.WriteParameters("parameters.json", """{ "$schema": "./build.schema.json", "Name": "from-file" }""");
        Assert.Equal("from-file", Run().Name);

        _harness.WriteParameters("parameters.dev.json", """{ "name": "from-profile" }""");
        Assert.Equal("from-file", Run().Name);
        Assert.Equal("from-profile", Run("--env", "dev").Name);

        _harness.Environment["NAME"] = "from-environment";
        Assert.Equal("from-environment", Run("--env", "dev").Name);

        Assert.Equal("from-cli", Run("--env", "dev", "--name", "from-cli").Name);
    }

    [Fact]
    public void Every_supported_type_converts_from_the_command_line()
    {
        var build = Run("--loud", "--replicas", "3", "--stage", "PRODUCTION", "--tags", "a", "b", "--output", "out",
            "--timeout", "30", "--previous-stage", "staging", "--sonar-host-url", "http://sonar", "--region", "eu", "--renamed", "x");

        Assert.True(build.Loud);
        Assert.Equal(3, build.Replicas);
        Assert.Equal(Stage.Production, build.Stage);
        Assert.Equal(["a", "b"], build.Tags);
        Assert.Equal(_harness.Root / "out", build.Output);
        Assert.Equal(30, build.Timeout);
        Assert.Equal(Stage.Staging, build.PreviousStage);
        Assert.Equal("http://sonar", build.SonarHostUrl);
        Assert.Equal("eu", build.Region);
        Assert.Equal("x", build.Internal);
    }

    [Fact]
    public void Environment_variables_use_upper_snake_case_and_lists_split_on_commas()
    {
        _harness.Environment["SONAR_HOST_URL"] = "http://env";
        _harness.Environment["TAGS"] = "x, y";
        _harness.Environment["LOUD"] = "yes";
        _harness.Environment["REPLICAS"] = "";

        var build = Run();

        Assert.Equal("http://env", build.SonarHostUrl);
        Assert.Equal(["x", "y"], build.Tags);
        Assert.True(build.Loud);
        Assert.Equal(1, build.Replicas);
    }

    [Fact]
    public void Parameter_files_hold_typed_json_values()
    {
        _harness.WriteParameters("parameters.json", """{ "Replicas": 4, "Loud": true, "Tags": ["p", "q"], "Stage": "staging" }""");

        var build = Run();

        Assert.Equal(4, build.Replicas);
        Assert.True(build.Loud);
        Assert.Equal(["p", "q"], build.Tags);
        Assert.Equal(Stage.Staging, build.Stage);
    }

    [Fact]
    public void A_bad_enum_value_exits_with_2_and_lists_the_allowed_values()
    {
        var outcome = _harness.Run<ParameterBuild>("Show", "--stage", "prod");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains(
            "Invalid value 'prod' for parameter Stage (--stage) from the command line (--stage). Allowed values: Dev, Staging, Production.",
            outcome.Output);
    }

    [Fact]
    public void A_bad_value_names_its_source()
    {
        _harness.Environment["REPLICAS"] = "many";
        var fromEnvironment = _harness.Run<ParameterBuild>("Show");
        Assert.Equal(ExitCodes.UsageError, fromEnvironment.ExitCode);
        Assert.Contains("Invalid value 'many' for parameter Replicas (--replicas) from environment variable REPLICAS. Expected a whole number.", fromEnvironment.Output);

        _harness.Environment.Clear();
        _harness.WriteParameters("parameters.json", """{ "Loud": "maybe" }""");
        var fromFile = _harness.Run<ParameterBuild>("Show");
        Assert.Equal(ExitCodes.UsageError, fromFile.ExitCode);
        Assert.Contains("from .nuke/parameters.json (key 'Loud'). Allowed values: true, false.", fromFile.Output);
    }

    [Fact]
    public void An_unknown_profile_exits_with_2_and_lists_the_available_ones()
    {
        _harness.WriteParameters("parameters.prod.json", "{}");

        var outcome = _harness.Run<ParameterBuild>("Show", "--env", "dev");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("Profile 'dev' does not exist", outcome.Output);
        Assert.Contains("Available profiles: prod.", outcome.Output);
    }

    [Fact]
    public void An_unknown_key_in_a_parameters_file_exits_with_2_and_names_the_closest_parameter()
    {
        _harness.WriteParameters("parameters.json", """{ "Replica": 2 }""");

        var outcome = _harness.Run<ParameterBuild>("Show");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("Unknown key 'Replica' in .nuke/parameters.json. Did you mean 'Replicas'?", outcome.Output);
    }

    [Fact]
    public void The_schema_describes_parameters_and_targets_and_is_rewritten_only_when_its_content_changes()
    {
        var schemaFile = _harness.Root / ".nuke" / SchemaWriter.SchemaFileName;
        _harness.Run<ParameterBuild>("--help");
        var schema = File.ReadAllText(schemaFile);
        Assert.Contains("\"Replicas\"", schema);
        Assert.Contains("\"Production\"", schema);
        Assert.Contains("\"Show\"", schema);
        Assert.Contains("\"writeOnly\": true", schema);
        Assert.True(File.Exists(_harness.Root / ".nuke" / "parameters.json"));

        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(schemaFile, old);
        _harness.Run<ParameterBuild>("--help");
        Assert.Equal(old, File.GetLastWriteTimeUtc(schemaFile));

        File.WriteAllText(schemaFile, "{}");
        _harness.Run<ParameterBuild>("--help");
        Assert.Equal(schema, File.ReadAllText(schemaFile));
    }

    [Fact]
    public void Secret_values_are_masked_in_the_log_and_registered_with_the_host()
    {
        var outcome = _harness.Run<ParameterBuild>("Show", "--api-token", "tok-123456");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("token=***", outcome.Output);
        Assert.DoesNotContain("tok-123456", outcome.Output);
        Assert.Contains("tok-123456", outcome.Host.Secrets);
    }

    [Fact]
    public void An_empty_environment_variable_counts_as_unset_and_falls_through_to_the_files()
    {
        _harness.WriteParameters("parameters.json", """{ "Replicas": 4, "Loud": true }""");
        _harness.WriteParameters("parameters.dev.json", """{ "Name": "from-profile" }""");
        _harness.Environment["NAME"] = "";
        _harness.Environment["REPLICAS"] = "";
        _harness.Environment["LOUD"] = "";

        var build = Run("--env", "dev");

        Assert.Equal("from-profile", build.Name);
        Assert.Equal(4, build.Replicas);
        Assert.True(build.Loud);
    }

    [Theory]
    [InlineData("""{ "Replicas": 2, "replicas": 3 }""", "key 'replicas' appears twice (also as 'Replicas')")]
    [InlineData("""{ "Replicas": null }""", "key 'Replicas' is null; expected a whole number, e.g. \"Replicas\": 2")]
    [InlineData("""{ "Tags": null }""", "key 'Tags' is null; expected a list of strings, e.g. \"Tags\": [\"a\", \"b\"]")]
    [InlineData("""{ "Name": { "first": "x" } }""", "key 'Name' is an object; expected a string, e.g. \"Name\": \"text\"")]
    [InlineData("""{ "Replicas": [2] }""", "key 'Replicas' is an array; expected a whole number, e.g. \"Replicas\": 2")]
    [InlineData("""{ "Tags": "a,b" }""", "key 'Tags' is a string; expected a list of strings, e.g. \"Tags\": [\"a\", \"b\"]")]
    [InlineData("""{ "Target": "Show" }""", "key 'Target' is a string; expected a list of strings, e.g. \"Target\": [\"a\", \"b\"]")]
    public void A_parameters_file_with_a_duplicate_key_null_or_a_value_of_the_wrong_kind_exits_with_2_naming_file_key_and_type(string json, string expected)
    {
        _harness.WriteParameters("parameters.json", json);

        var outcome = _harness.Run<ParameterBuild>("Show");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains(".nuke/parameters.json: " + expected, outcome.Output);
        Assert.DoesNotContain("   at ", outcome.Output);
    }

    [Fact]
    public void An_unexpected_exception_exits_with_1_in_one_line_without_a_stack_trace_unless_verbose()
    {
        var quiet = _harness.Run<CrashingInitializationBuild>("Show");
        var verbose = _harness.Run<CrashingInitializationBuild>("Show", "--verbosity", "verbose");

        Assert.Equal(ExitCodes.TargetFailed, quiet.ExitCode);
        var error = Assert.Single(quiet.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Unexpected error: InvalidOperationException: the build's initialization crashed. Run with --verbosity verbose for the details.", error);
        Assert.DoesNotContain("   at ", quiet.Output);
        Assert.Equal(ExitCodes.TargetFailed, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Output);
    }

    [Fact]
    public void A_secret_value_that_starts_with_a_dash_is_taken_as_the_value()
    {
        var outcome = _harness.Run<ParameterBuild>("Show", "--api-token", "-Xabc-secret");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal("-Xabc-secret", outcome.Build.ApiToken);
        Assert.DoesNotContain("Xabc", outcome.Output);
    }

    [Fact]
    public void A_usage_error_masks_the_tokens_it_quotes()
    {
        var outcome = _harness.Run<ParameterBuild>("Show", "--api-token", "tok-123456", "--verbosity", "tok-123456", "--tok-123456");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.DoesNotContain("tok-123456", outcome.Output);
        Assert.Contains("--verbosity *** is not a verbosity", outcome.Output);
    }

    private sealed class CrashingInitializationBuild : BuildBase
    {
        public Target Show => _ => _.Executes(() => Log.Information("shown"));

        protected override void OnBuildInitialized() => throw new InvalidOperationException("the build's initialization crashed");
    }
}
