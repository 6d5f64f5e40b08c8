using TypedBuild.Ci;
using TypedBuild.Ci.Concourse;
using TypedBuild.Ci.GitHubActions;
using YamlDotNet.RepresentationModel;

namespace TypedBuild.Tests.Ci;

/// <summary>
/// The approval variable and per-environment secrets: every job acting on a protected environment gets the approval
/// on every host (dispatched rollbacks included), nothing else does, and a deploy identity is per environment.
/// </summary>
public sealed class CiApprovalTests
{
    private static readonly CiPipeline Pipeline = SamplePipeline.Create() with
    {
        ApprovalVariable = "DEPLOY_APPROVED",
        Secrets = [.. SamplePipeline.Create().Secrets.Select(s => s.Name == "KUBE_CONFIG" ? s with { PerEnvironment = true } : s)],
    };

    private static readonly IReadOnlyList<GeneratedFile> Files = CiGenerator.Generate(Pipeline, SamplePipeline.Targets);

    [Fact]
    public void Github_gives_the_protected_deploy_and_the_dispatched_rollback_the_approval_and_the_token_to_check_it()
    {
        var deploy = YamlQuery.Load(Files.Text(".github/workflows/ci.yml")).At("jobs", "deploy-prod");
        var rollback = YamlQuery.Load(Files.Text(".github/workflows/rollback.yml")).At("jobs", "rollback");

        Assert.Equal("true", deploy.Text("env", "DEPLOY_APPROVED"));
        Assert.Equal("${{ github.token }}", deploy.Text("env", GitHubActionsWriter.TokenVariable));
        Assert.Equal("read", deploy.Text("permissions", "actions"));
        Assert.Equal("${{ inputs.environment == 'prod' }}", rollback.Text("env", "DEPLOY_APPROVED"));
        Assert.Equal("read", rollback.Text("permissions", "actions"));
        Assert.Null(YamlQuery.Load(Files.Text(".github/workflows/ci.yml")).At("jobs", "deploy-dev").Find("permissions"));
    }

    [Fact]
    public void Gitlab_and_concourse_give_it_to_the_prod_jobs_only_with_that_environment_s_secret()
    {
        var gitlab = YamlQuery.Load(Files.Text(".gitlab-ci.yml"));
        Assert.Equal("true", gitlab.At("rollback-prod").Text("variables", "DEPLOY_APPROVED"));
        Assert.Equal("true", gitlab.At("deploy-prod").Text("variables", "DEPLOY_APPROVED"));
        Assert.Null(gitlab.At("rollback-dev").Find("variables"));

        var jobs = ((YamlSequenceNode)YamlQuery.Load(Files.Text(ConcourseWriter.FilePath)).At("jobs")).Children.ToDictionary(j => j.Text("name"));
        YamlNode Params(string job) => ((YamlSequenceNode)jobs[job].At("plan")).Children.First(s => s.Find("task") is not null).At("config", "params");
        Assert.Equal("true", Params("rollback-prod").Text("DEPLOY_APPROVED"));
        Assert.Equal("((kube-config-prod))", Params("rollback-prod").Text("KUBE_CONFIG"));
        Assert.Equal("((kube-config-dev))", Params("rollback-dev").Text("KUBE_CONFIG"));
        Assert.Null(Params("rollback-dev").Find("DEPLOY_APPROVED"));
        Assert.Contains("kube-config-prod", ConcourseWriter.DeclaredVariables(Pipeline));
    }

    [Fact]
    public void A_protected_deploy_without_approval_or_setting_the_approval_itself_is_invalid()
    {
        var unguarded = Pipeline with { Jobs = [.. Pipeline.Jobs.Select(j => j.Id == "deploy-prod" ? j with { RequiresApproval = false } : j)] };
        var selfApproved = Pipeline with { Jobs = [.. Pipeline.Jobs.Select(j => j.Id == "test" ? j with { Variables = new Dictionary<string, string> { ["DEPLOY_APPROVED"] = "true" } } : j)] };

        Assert.Contains("Job 'deploy-prod': deploys to protected environment 'prod' without RequiresApproval: it would run unapproved.", CiPipelineValidator.Validate(unguarded, SamplePipeline.Targets));
        Assert.Contains("Job 'test': sets DEPLOY_APPROVED itself; the writers set it only behind a protected environment's approval gate.", CiPipelineValidator.Validate(selfApproved, SamplePipeline.Targets));
    }
}
