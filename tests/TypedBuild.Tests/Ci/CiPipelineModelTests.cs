using TypedBuild.Ci;

namespace TypedBuild.Tests.Ci;

public sealed class CiPipelineModelTests
{
    [Theory]
    [InlineData("artifacts/test-results/", "artifacts/test-results")]
    [InlineData("artifacts/image.json", "artifacts")]
    [InlineData("artifacts/results/*.junit.xml", "artifacts/results")]
    [InlineData("out/**/coverage.xml", "out")]
    [InlineData("report.xml", "")]
    public void An_artifact_is_restored_into_the_folder_upload_tools_strip(string path, string directory)
        => Assert.Equal(directory, new CiArtifact("a", [path]).Directory);

    [Fact]
    public void Report_paths_default_to_the_artifact_paths()
    {
        Assert.Equal(["a/"], new CiArtifact("a", ["a/"]).EffectiveReportPaths);
        Assert.Equal(["a/*.xml"], new CiArtifact("a", ["a/"]) { ReportPaths = ["a/*.xml"] }.EffectiveReportPaths);
    }

    [Fact]
    public void A_job_call_names_its_targets_profile_and_skip()
    {
        var job = new CiJob { Id = "deploy", DisplayName = "Deploy", Targets = ["Push", "Deploy"], Profile = "dev", Triggers = [CiTrigger.AnyBranch] };

        Assert.Equal(["Push", "Deploy", "--env", "dev", "--skip"], job.BuildArguments());
        Assert.Equal(["Push", "Deploy", "--env", "prod", "--skip"], job.BuildArguments("prod"));
        Assert.Equal(["Push", "Deploy", "--env", "dev"], (job with { SkipOtherTargets = false }).BuildArguments());
    }

    [Fact]
    public void Triggers_and_secrets_derive_the_names_hosts_need()
    {
        Assert.Equal("^v.*$", CiTrigger.Tag("v*").PatternRegex);
        Assert.Equal("^release/1\\.x$", CiTrigger.Branch("release/1.x").PatternRegex);
        Assert.True(CiTrigger.Branch("main").IsLiteralBranch);
        Assert.False(CiTrigger.AnyBranch.IsLiteralBranch);
        Assert.Equal("slack-webhook-url", new CiSecret("SLACK_WEBHOOK_URL", "hook").VariableName);
        Assert.Equal("kind-registry:5000", new CiKindCluster("x").Registry);
    }

    [Fact]
    public void Lookups_of_undeclared_names_say_what_exists()
    {
        var pipeline = SamplePipeline.Create();

        Assert.Contains("Jobs: test, e2e, pack", Assert.Throws<ArgumentException>(() => pipeline.Job("nope")).Message, StringComparison.Ordinal);
        Assert.Contains("no artifact 'nope'", Assert.Throws<ArgumentException>(() => pipeline.Artifact("nope")).Message, StringComparison.Ordinal);
        Assert.Contains("no secret 'nope'", Assert.Throws<ArgumentException>(() => pipeline.Secret("nope")).Message, StringComparison.Ordinal);
        Assert.Null(pipeline.Environment("nope"));
        Assert.Equal(["HOOK_URL", "PACK_TOKEN"], pipeline.SecretsFor(pipeline.Job("pack")).Select(s => s.Name));
        Assert.Equal("./build.sh GenerateCi", pipeline.RegenerateCommand);
    }
}
