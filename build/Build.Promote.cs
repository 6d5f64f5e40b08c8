using System.Globalization;
using ExampleService.Build.Delivery.Environments;
using ExampleService.Build.Delivery.Helm;
using ExampleService.Build.Delivery.Image;
using TypedBuild;
using TypedBuild.Registries;

namespace ExampleService.Build;

/// <summary>
/// Build once, promote by digest (environments.json declares the order). Every CI deploy job is one
/// <c>./build.sh Promote --env &lt;env&gt;</c>: the first environment deploys the commit's one build, each later one the
/// digest its upstream verified, found in the registry, never rebuilt.
/// </summary>
partial class Build
{
    Target Promote => _ => _
        .Description($"Deploys to --env the digest its upstream verified for this commit ({PromotionOrderText}; the first deploys the commit's build), verifies the rollout, then tags it verified-<env>-<commit> and records the deploy")
        .After(Push)
        .OnlyWhenStatic(() => !IsLocalDeployment)
        .Requires(() => KubeContext)
        .Requires(() => KubeNamespace)
        .Requires(Helm)
        .Executes(async cancellationToken =>
        {
            var environment = await ApprovedEnvironmentAsync("deploy to", cancellationToken);
            var (repository, digest) = await PromotedImageAsync(environment, cancellationToken);
            var outcome = await Deployer().DeployAsync(
                Release,
                () => new HelmUpgradeRequest(
                    Release,
                    ChartDirectory,
                    RootDirectory / environment.ValuesFile!,
                    [new("image.repository", repository), new(HelmUpgradeRequest.DigestKey, digest)],
                    HelmTimeout),
                DeploymentOptions,
                cancellationToken);
            ReportDeployment(outcome);
            await RecordDeployAsync(environment, outcome, cancellationToken);
        });

    Target Status => _ => _
        .Description("Shows what runs in --env: the deploy record (digest, version, commit, time, approver) its last verified deploy left in the registry")
        .Executes(async cancellationToken =>
        {
            var environment = Environments.Get(Profile);
            var record = await ImagePromotionOf(ImageRepositoryName).ReadRecordAsync(environment.Name, cancellationToken);
            if (record is null)
            {
                Log.Information($"{environment.Name}: nothing recorded in {ImageRepositoryName} yet (no tag {ImagePromotion.RecordTag(environment.Name)}); the first verified Promote writes it.");
                return;
            }

            ReportSummary("Environment", record.Environment);
            ReportSummary("Digest", record.Reference);
            ReportSummary("Version", record.Version);
            ReportSummary("Commit", record.Commit);
            ReportSummary("Deployed", record.DeployedAt.ToString("u", CultureInfo.InvariantCulture));
            ReportSummary("Approved by", record.ApprovedBy ?? "(not protected)");
            Log.Information($"{record.Environment} runs {record.Reference} (version {record.Version}, commit {record.Commit}), deployed {record.DeployedAt:u}{(record.ApprovedBy is { } who ? $", approved by {who}" : string.Empty)}");
        });

    ImagePromotion ImagePromotionOf(string repository)
        => new(new OciRegistry(RegistryHttp, RegistryLogin), repository);

    HttpClient? registryHttp;

    HttpClient RegistryHttp => registryHttp ??= new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// What <paramref name="environment"/> deploys: a sandbox the image this build pushed (artifacts/image.json); the
    /// chain's first environment the commit's build; a later one exactly the digest its upstream verified.
    /// </summary>
    async Task<(string Repository, string Digest)> PromotedImageAsync(DeployEnvironment environment, CancellationToken cancellationToken)
    {
        if (!environment.InPromotion)
        {
            var pushed = PushedImage.Load(PushedImage.DefaultPath(RootDirectory));
            return (pushed.Repository, pushed.Digest);
        }

        var commit = Host.Commit ?? throw new InvalidOperationException("Promotion needs the commit being deployed, and neither the CI host nor git names one.");
        var digest = await ImagePromotionOf(ImageRepositoryName).SourceDigestAsync(Environments, environment, commit, cancellationToken);
        Log.Information($"Promoting {ImageRepositoryName}@{digest} to {environment.Name} ({(environment.PromotesFrom is { } from ? $"verified in {from}" : "the commit's build")}, commit {commit})");
        return (ImageRepositoryName, digest);
    }

    /// <summary>After a verified rollout of a chain environment: the verified tag, the release tag of a tag-triggered one, and the deploy record.</summary>
    async Task RecordDeployAsync(DeployEnvironment environment, DeploymentOutcome outcome, CancellationToken cancellationToken)
    {
        if (!environment.InPromotion)
        {
            return;
        }

        var promotion = ImagePromotionOf(ImageRepositoryName);
        var record = new DeployRecord(
            environment.Name,
            ImageRepositoryName,
            outcome.Digest,
            Version.SemVer,
            Host.Commit ?? "unknown",
            DateTimeOffset.UtcNow,
            environment.Protected ? Host.Actor ?? Environment.UserName : null,
            Host.RunUrl);
        await promotion.RecordVerifiedAsync(record, cancellationToken);
        if (environment.Tag is not null && await promotion.TagReleaseAsync(Version.SemVer, outcome.Digest, cancellationToken))
        {
            Log.Information($"Released {ImageRepositoryName}:{Version.SemVer} = {outcome.Digest} (version tags are written once)");
        }

        ReportSummary("Verified tag", ImagePromotion.VerifiedTag(environment.Name, record.Commit));
        ReportRecord(record);
    }

    /// <summary>A rollback changes what runs but verifies no commit: it updates the record only, never a verified tag.</summary>
    async Task RecordRollbackAsync(DeployEnvironment environment, DeploymentOutcome outcome, CancellationToken cancellationToken)
    {
        if (!environment.InPromotion)
        {
            return;
        }

        var promotion = ImagePromotionOf(ImageRepositoryName);
        var (version, commit) = await promotion.LabelsOfAsync(outcome.Digest, cancellationToken);
        var record = new DeployRecord(
            environment.Name,
            ImageRepositoryName,
            outcome.Digest,
            $"{version ?? "unknown"} (rollback to helm revision {outcome.Revision.ToString(CultureInfo.InvariantCulture)})",
            commit ?? "unknown (the image has no org.opencontainers.image.revision label)",
            DateTimeOffset.UtcNow,
            environment.Protected ? Host.Actor ?? Environment.UserName : null,
            Host.RunUrl);
        await promotion.WriteRecordAsync(record, cancellationToken);
        ReportRecord(record);
    }

    /// <summary>The record's facts as summary notes, which the Slack deploy announcement carries.</summary>
    void ReportRecord(DeployRecord record)
    {
        ReportSummary("Commit", record.Commit);
        ReportSummary("Approved by", record.ApprovedBy ?? "(not protected)");
        lastDeployRecord = record;
    }

    /// <summary>What this build deployed and recorded, for the deploy announcement.</summary>
    DeployRecord? lastDeployRecord;
}
