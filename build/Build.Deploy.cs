using ExampleService.Build.Delivery;
using ExampleService.Build.Delivery.Docker;
using ExampleService.Build.Delivery.Environments;
using ExampleService.Build.Delivery.Image;
using TypedBuild;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>The sandbox that deploys to this machine's Docker engine instead of a cluster.</summary>
    const string LocalEnvironment = "local";

    [Parameter("Approves acting on a protected environment (environments.json): by hand --deploy-approved; CI sets DEPLOY_APPROVED=true behind the environment's approval gate")]
    readonly bool DeployApproved;

    [Parameter("Token of the GitHub job, to confirm that a protected environment requires a review (GITHUB_TOKEN, with actions: read)", Name = "GithubToken")]
    [Secret]
    readonly string? GitHubToken;

    [Parameter("GitHub's REST API (GITHUB_API_URL on GitHub's runners)", Name = "GithubApiUrl")]
    readonly string GitHubApiUrl = GitHubEnvironmentProtection.PublicApi.AbsoluteUri;

    [Parameter("Port on 127.0.0.1 the local deployment (--env local) listens on")]
    readonly int LocalPort = 8080;

    [Parameter("Name of the local deployment's container")]
    readonly string LocalContainerName = "example-service";

    [Parameter("Docker volume that keeps the local deployment's SQLite database across deploys")]
    readonly string LocalDataVolume = "example-service-data";

    EnvironmentDeclaration? environments;

    /// <summary>environments.json: every rule about an environment comes from it.</summary>
    EnvironmentDeclaration Environments => environments ??= EnvironmentDeclaration.Load(RootDirectory);

    /// <summary>For descriptions and --help, which must render even while environments.json is broken (Lint says why).</summary>
    string PromotionOrderText
    {
        get
        {
            try
            {
                return Environments.PromotionOrder;
            }
            catch (InvalidOperationException)
            {
                return $"the order in {EnvironmentDeclaration.FileName}";
            }
        }
    }

    /// <summary>True when this build ends with the service running on this machine (--env local, or RunLocal asked for).</summary>
    bool IsLocalDeployment => Profile == LocalEnvironment || InvokedTargets.Contains(nameof(RunLocal));

    Target Deploy => _ => _
        .Description($"Ships the build to --env: Compile → Test → Lint → Coverage → Sonar → DockerBuild → Push, then RunLocal (local) or Promote ({PromotionOrderText}, or kind)")
        .DependsOn(DeployGate, Test, Lint, Coverage, Sonar, Push, RunLocal, Promote)
        .Executes(() => Log.Information($"Deployed {PushedImage.Load(PushedImage.DefaultPath(RootDirectory)).Reference} to {Profile}"));

    /// <summary>Runs first, so a deploy nobody may do fails before minutes of compiling and testing.</summary>
    Target DeployGate => _ => _
        .Description("Checks --env against environments.json, its files, and the approval of a protected environment")
        .Unlisted()
        .Before(Compile, SonarBegin)
        .Executes(async cancellationToken => await ApprovedEnvironmentAsync("deploy to", cancellationToken));

    /// <summary>
    /// The environment --env names, once the deploy gate let it through: declared, its files present, and a protected
    /// one approved (on GitHub also confirmed to require a review). Every target acting on a cluster starts here.
    /// </summary>
    async Task<DeployEnvironment> ApprovedEnvironmentAsync(string action, CancellationToken cancellationToken)
    {
        var environment = Environments.Get(Profile);
        EnvironmentDeclaration.RequireFiles(RootDirectory, environment);
        Log.Information(DeployGateDecision.Check(environment, action, DeployApproved));
        if (environment.Protected && Host.Kind == TypedBuild.Hosts.CiHostKind.GitHubActions)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var api = GitHubEnvironmentProtection.BaseOf(new Uri(GitHubApiUrl));
            Log.Information(await new GitHubEnvironmentProtection(http).RequireReviewersAsync(api, Host.Repository, GitHubToken, environment.Name, cancellationToken));
        }

        return environment;
    }

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
