using TypedBuild.Ci;

namespace TypedBuild.Tests.Ci;

public sealed class CiPipelineValidatorTests
{
    private static CiJob Job(string id, params string[] needs) => new()
    {
        Id = id,
        DisplayName = id,
        Targets = ["Test"],
        Needs = needs,
        Triggers = [CiTrigger.AnyBranch],
    };

    [Fact]
    public void The_sample_pipeline_is_valid()
        => Assert.Empty(CiPipelineValidator.Validate(SamplePipeline.Create(), SamplePipeline.Targets));

    [Fact]
    public void The_sample_with_a_job_image_is_valid()
        => Assert.Empty(CiPipelineValidator.Validate(SamplePipeline.WithJobImage("0123456789abcdef"), SamplePipeline.Targets));

    [Fact]
    public void A_job_image_needs_a_builder_with_an_engine_that_every_containerised_job_waits_for()
    {
        var image = new CiJobImage("app-ci", "REGISTRY", "0123456789abcdef");
        var builder = Job("image") with { BuildsJobImage = true };

        var noBuilder = CiPipelineValidator.Validate(new CiPipeline { Name = "p", JobImage = image, Jobs = [Job("test")] });
        var problems = CiPipelineValidator.Validate(new CiPipeline { Name = "p", JobImage = image, Jobs = [builder, Job("test"), Job("github-only") with { Systems = [CiSystem.GitHubActions] }] });
        var noImage = CiPipelineValidator.Validate(new CiPipeline { Name = "p", Jobs = [builder with { UsesDocker = true }] });

        Assert.Equal(["Job 'test': the pipeline declares a JobImage but no job builds it: add a job with BuildsJobImage."], noBuilder);
        Assert.Equal(
        [
            "Job 'image': builds the job image, so it needs a Docker engine: set UsesDocker.",
            "Job 'test': runs in the job image on GitLab and Concourse, but does not need 'image' (directly or not), which builds it.",
        ], problems);
        Assert.Equal(["Job 'image': builds the job image, but the pipeline declares no JobImage."], noImage);
    }

    [Fact]
    public void Every_broken_reference_is_reported_with_the_way_to_fix_it()
    {
        var pipeline = new CiPipeline
        {
            Name = "broken",
            Artifacts = [new("empty", [])],
            Jobs =
            [
                Job("Build_It"),
                Job("test", "later") with { Secrets = ["NOPE"], Environment = "moon", Produces = ["ghost"] },
                Job("later") with { Consumes = ["empty"], Triggers = [] },
                Job("later"),
                Job("rollback") with { Dispatch = new(["dev"], []), Environment = "dev" },
                Job("empty") with { Targets = [] },
            ],
        };

        var problems = CiPipelineValidator.Validate(pipeline);

        Assert.Contains("Job 'Build_It': the id must be kebab-case (letters, digits, '-'), e.g. 'deploy-dev'.", problems);
        Assert.Contains("Job 'test': needs 'later', which is not declared before it. Declare jobs in the order they run.", problems);
        Assert.Contains("Job 'test': uses secret 'NOPE', which is not in the pipeline's Secrets.", problems);
        Assert.Contains("Job 'test': deploys to environment 'moon', which is not in the pipeline's Environments.", problems);
        Assert.Contains("Job 'test': uses artifact 'ghost', which is not in the pipeline's Artifacts.", problems);
        Assert.Contains("Job 'later': consumes artifact 'empty', but no job it needs (directly or not) produces it.", problems);
        Assert.Contains("Job 'later': no triggers and no dispatch: it would never run.", problems);
        Assert.Contains("Job 'later': the id is used twice; job ids must be unique.", problems);
        Assert.Contains("Job 'rollback': a dispatched job chooses its environment from Dispatch.Environments; leave Environment empty.", problems);
        Assert.Contains("Job 'rollback': deploys to environment 'dev', which is not in the pipeline's Environments.", problems);
        Assert.Contains("Job 'empty': no targets: a job runs at least one target.", problems);
        Assert.Contains("Artifact 'empty' has no paths.", problems);
    }

    [Fact]
    public void Artifacts_of_indirect_needs_count_and_an_empty_pipeline_is_refused()
    {
        var pipeline = new CiPipeline
        {
            Name = "chain",
            Artifacts = [new("a", ["a/"])],
            Jobs = [Job("one") with { Produces = ["a"] }, Job("two", "one"), Job("three", "two") with { Consumes = ["a"] }],
        };

        Assert.Empty(CiPipelineValidator.Validate(pipeline));
        var error = Assert.Throws<InvalidCiPipelineException>(() => CiPipelineValidator.ThrowIfInvalid(new CiPipeline { Name = "none", Jobs = [] }));
        Assert.Equal(["The pipeline has no jobs: add at least one CiJob."], error.Problems);
    }
}
