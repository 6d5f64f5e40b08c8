using TypedBuild.Ci;

namespace TypedBuild.Tests.Ci;

/// <summary>A small pipeline with every feature the writers support: quality, kind e2e, package, deploys, rollback.</summary>
internal static class SamplePipeline
{
    public static IReadOnlyList<string> Targets { get; } = ["Test", "Report", "Pack", "Deploy", "Rollback"];

    /// <summary>The sample with a job image, built by a first job every other job needs.</summary>
    public static CiPipeline WithJobImage(string contentTag)
    {
        var pipeline = Create();
        var builder = new CiJob
        {
            Id = "toolchain",
            DisplayName = "Toolchain image",
            Targets = ["Pack"],
            Triggers = [CiTrigger.PullRequests, CiTrigger.AnyBranch, CiTrigger.Tag("v*")],
            BuildsJobImage = true,
            UsesDocker = true,
            Systems = [CiSystem.GitLab, CiSystem.Concourse],
        };
        return pipeline with
        {
            Secrets = [.. pipeline.Secrets, new("REGISTRY", "Registry the job image is pushed to")],
            JobImage = new("sample-ci", "REGISTRY", contentTag) { PasswordVariable = "PACK_TOKEN" },
            Jobs = [builder, .. pipeline.Jobs.Select(job => job.Needs.Count == 0 ? job with { Needs = [builder.Id] } : job)],
        };
    }

    public static CiPipeline Create() => new()
    {
        Name = "sample",
        CoverageRegex = @"Coverage: (\d+)%",
        Environments = [new("dev", Url: "https://dev.example.test"), new("prod", Protected: true)],
        Secrets =
        [
            new("HOOK_URL", "Notification webhook") { ForEveryJob = true },
            new("PACK_TOKEN", "Registry token"),
            new("KUBE_CONFIG", "Cluster access"),
        ],
        Artifacts =
        [
            new("results", ["out/results/"], CiReportKind.JUnit) { UploadOnFailure = true, ReportPaths = ["out/results/*.xml"] },
            new("coverage", ["out/coverage/Cobertura.xml"], CiReportKind.Cobertura),
            new("package", ["out/package.json"]),
        ],
        Jobs =
        [
            new()
            {
                Id = "test",
                DisplayName = "Test",
                Targets = ["Test", "Report"],
                SkipOtherTargets = false,
                Triggers = [CiTrigger.PullRequests, CiTrigger.AnyBranch, CiTrigger.Tag("v*")],
                Produces = ["results", "coverage"],
            },
            new()
            {
                Id = "e2e",
                DisplayName = "End to end",
                Targets = ["Pack", "Deploy"],
                Profile = "kind",
                Needs = ["test"],
                Triggers = [CiTrigger.PullRequests],
                KindCluster = new("sample"),
                Systems = [CiSystem.GitHubActions],
            },
            new()
            {
                Id = "pack",
                DisplayName = "Pack",
                Targets = ["Pack"],
                Needs = ["test"],
                Triggers = [CiTrigger.Branch("develop"), CiTrigger.Tag("v*")],
                Secrets = ["PACK_TOKEN"],
                Produces = ["package"],
                UsesDocker = true,
            },
            new()
            {
                Id = "deploy-dev",
                DisplayName = "Deploy to dev",
                Targets = ["Deploy"],
                Profile = "dev",
                Needs = ["pack"],
                Triggers = [CiTrigger.Branch("develop")],
                Environment = "dev",
                Secrets = ["KUBE_CONFIG"],
                Consumes = ["package"],
                Interruptible = false,
            },
            new()
            {
                Id = "deploy-prod",
                DisplayName = "Deploy to prod",
                Targets = ["Deploy"],
                Profile = "prod",
                Needs = ["pack"],
                Triggers = [CiTrigger.Tag("v*")],
                Environment = "prod",
                RequiresApproval = true,
                Secrets = ["KUBE_CONFIG"],
                Consumes = ["package"],
                Interruptible = false,
                Variables = new Dictionary<string, string> { ["APPROVED"] = "true" },
            },
            new()
            {
                Id = "rollback",
                DisplayName = "Rollback",
                Targets = ["Rollback"],
                Dispatch = new(["dev", "prod"], [new("revision", "REVISION", "Revision to return to")]),
                Secrets = ["KUBE_CONFIG"],
                Interruptible = false,
            },
        ],
    };

    public static string Text(this IReadOnlyList<GeneratedFile> files, string path)
        => files.Single(f => f.RelativePath == path).Content;
}
