using ExampleService.Build.Delivery;
using ExampleService.Build.Delivery.Docker;
using ExampleService.Build.Delivery.Image;
using TypedBuild;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>The profile that deploys to this machine's Docker engine instead of a cluster.</summary>
    const string LocalEnvironment = "local";

    static readonly string[] DeployEnvironments = [LocalEnvironment, "dev", "staging", "prod", "kind"];

    [Parameter("Confirms a deploy to prod by hand; CI confirms it by setting DEPLOY_APPROVED=true after its approval gate")]
    readonly bool ConfirmProduction;

    [Parameter("Port on 127.0.0.1 the local deployment (--env local) listens on")]
    readonly int LocalPort = 8080;

    [Parameter("Name of the local deployment's container")]
    readonly string LocalContainerName = "example-service";

    [Parameter("Docker volume that keeps the local deployment's SQLite database across deploys")]
    readonly string LocalDataVolume = "example-service-data";

    /// <summary>True when this build ends with the service running on this machine (--env local, or RunLocal asked for).</summary>
    bool IsLocalDeployment => Profile == LocalEnvironment || InvokedTargets.Contains(nameof(RunLocal));

    /// <summary>prod needs a confirmation: by hand --confirm-production, in CI the approval gate's DEPLOY_APPROVED=true.</summary>
    bool ProductionConfirmed => ConfirmProduction || DeployApproved;

    Target Deploy => _ => _
        .Description("Ships the build to --env: Compile → Test → Lint → Coverage → Sonar → DockerBuild → Push, then RunLocal (local) or HelmDeploy (dev, staging, prod)")
        .DependsOn(DeployGate, Test, Lint, Coverage, Sonar, Push, RunLocal, HelmDeploy)
        .Executes(() => Log.Information($"Deployed {PushedImage.Load(PushedImage.DefaultPath(RootDirectory)).Reference} to {Profile}"));

    /// <summary>Runs first, so a deploy nobody may do fails before minutes of compiling and testing.</summary>
    Target DeployGate => _ => _
        .Description("Checks --env, and that a prod deploy is confirmed (--confirm-production, or DEPLOY_APPROVED=true from CI)")
        .Unlisted()
        .Before(Compile, SonarBegin)
        .Executes(() => Log.Information(DeployGateDecision.Check(Profile, DeployEnvironments, ProductionConfirmed)));

    Target RunLocal => _ => _
        .Description("Runs the pushed digest as a container on 127.0.0.1 with SQLite in a volume, replacing the previous one, and waits until it is ready")
        .DependsOn(Push)
        .OnlyWhenStatic(() => IsLocalDeployment)
        .Requires(DockerEngine)
        .Executes(async cancellationToken =>
        {
            var image = PushedImage.Load(PushedImage.DefaultPath(RootDirectory));
            using var docker = await DockerConnection.ConnectAsync(Log, cancellationToken, DockerEngine.Endpoint.ToString());
            var deployment = await new LocalContainer(docker, Log).ReplaceAsync(
                new LocalContainerSpec(LocalContainerName, image.Reference, LocalPort, LocalDataVolume),
                cancellationToken);

            ReportSummary("URL", deployment.Url.ToString());
            ReportSummary("Digest", image.Digest);
            Log.Information($"{LocalContainerName} is ready at {deployment.Url} ({deployment.ReadyAfter.TotalSeconds:0.0} s after start), running {image.Reference}");
            Log.Information($"Try: curl {deployment.Url}api/v1/users   API reference: {deployment.Url}scalar   Stop: docker rm -f {LocalContainerName}");
        });
}
