using System.Text;
using System.Text.Json;
using ExampleService.Build.Delivery.Environments;
using ExampleService.Build.Tests.Delivery.Helm;
using TypedBuild;
using TypedBuild.Processes;
using TypedBuild.Registries;

namespace Build.Tests.Delivery.Environments;

/// <summary>
/// Build once, promote by digest, against the real local registry (Debian's docker-registry on 127.0.0.1:5000, as
/// the Helm tests provision it): one image pushed for a commit flows dev → staging → prod by its digest through
/// verified-&lt;env&gt;-&lt;commit&gt; tags, nothing is built again, and a digest an environment has not verified is refused.
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class PromotionTests(HelmToolchain toolchain) : IDisposable
{
    private static readonly EnvironmentDeclaration Declared = EnvironmentDeclaration.Load(AbsolutePath.Create(EnvironmentFiles.Root));

    private readonly string _repositoryPath = $"promotion-test/{Guid.NewGuid():N}"[..30];
    private readonly string _root = Directory.CreateTempSubdirectory("promotion-root-").FullName;
    private readonly HttpClient _http = new();

    private string Repository => $"{toolchain.Registry.Address}/{_repositoryPath}";

    private OciRegistry Registry => new(_http, RegistryCredentials.Anonymous);

    [Fact]
    public async Task One_build_flows_dev_staging_prod_by_digest_and_an_unverified_digest_is_refused_naming_the_environment()
    {
        const string commit = "0123456789abcdef0123456789abcdef01234567";
        var built = await PushImageAsync("0123456", "built once");
        var promotion = new ImagePromotion(Registry, Repository);

        var refusedStaging = await Assert.ThrowsAsync<InvalidOperationException>(() => promotion.SourceDigestAsync(Declared, Declared.Get("staging"), commit, CancellationToken.None));
        Assert.Contains($"Refusing to promote commit {commit} to staging: dev has not verified an image of it (no tag verified-dev-{commit}", refusedStaging.Message, StringComparison.Ordinal);

        foreach (var environment in Declared.Promotion)
        {
            var digest = await promotion.SourceDigestAsync(Declared, environment, commit, CancellationToken.None);
            Assert.Equal(built, digest);
            await promotion.RecordVerifiedAsync(Record(environment.Name, digest, commit), CancellationToken.None);
        }

        Assert.Equal(built, await Registry.DigestOfAsync(Repository, $"verified-prod-{commit}", CancellationToken.None));
        var record = await promotion.ReadRecordAsync("prod", CancellationToken.None);
        Assert.Equal(Record("prod", built, commit), record);
    }

    [Fact]
    public async Task Prod_refuses_a_commit_staging_has_not_verified_even_when_dev_has()
    {
        const string commit = "fedcba9876543210fedcba9876543210fedcba98";
        var built = await PushImageAsync("fedcba9", "dev only");
        var promotion = new ImagePromotion(Registry, Repository);
        await promotion.RecordVerifiedAsync(Record("dev", built, commit), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => promotion.SourceDigestAsync(Declared, Declared.Get("prod"), commit, CancellationToken.None));

        Assert.Contains("to prod: staging has not verified an image of it", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Promotion order is dev → staging → prod (approved): deploy the commit to staging first (push it to its branch 'main')", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_version_tag_is_written_once_and_never_moved()
    {
        var first = await PushImageAsync("1111111", "first");
        var second = await PushImageAsync("2222222", "second");
        var promotion = new ImagePromotion(Registry, Repository);

        Assert.True(await promotion.TagReleaseAsync("1.4.0", first, CancellationToken.None));
        Assert.False(await promotion.TagReleaseAsync("1.4.0", first, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => promotion.TagReleaseAsync("1.4.0", second, CancellationToken.None));

        Assert.Contains($"Release 1.4.0 is already {Repository}:1.4.0 = {first}; version tags are immutable", refused.Message, StringComparison.Ordinal);
        Assert.Equal(first, await Registry.DigestOfAsync(Repository, "1.4.0", CancellationToken.None));
    }

    [Fact]
    public async Task A_rollback_learns_version_and_commit_from_the_image_labels()
    {
        const string commit = "89abcdef0123456789abcdef0123456789abcdef";
        var labelled = await PushImageAsync("89abcde", "labelled", new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.3.0", ["org.opencontainers.image.revision"] = commit });
        var unlabelled = await PushImageAsync("unlabelled", "unlabelled");
        var promotion = new ImagePromotion(Registry, Repository);

        Assert.Equal(("1.3.0", commit), await promotion.LabelsOfAsync(labelled, CancellationToken.None));
        Assert.Equal((null, null), await promotion.LabelsOfAsync(unlabelled, CancellationToken.None));
    }

    /// <summary>
    /// The Promote target as CI runs it, up to the cluster boundary: staging is refused until dev verified the commit's
    /// digest, then goes as far as the cluster; Status reads the record the verified dev deploy left.
    /// </summary>
    [Fact]
    public async Task The_promote_target_refuses_an_unverified_commit_before_the_cluster_and_status_reads_the_record()
    {
        EnvironmentFiles.CopyTo(_root);
        var commit = await CommitAsync();
        var built = await PushImageAsync(commit[..7], "target");

        var refused = await RunBuildAsync(["Promote", "--env", "staging"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"Refusing to promote commit {commit} to staging: dev has not verified an image of it", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("kube context", refused.StandardError, StringComparison.Ordinal);

        var promotion = new ImagePromotion(Registry, Repository);
        await promotion.RecordVerifiedAsync(Record("dev", built, commit), CancellationToken.None);
        var promoted = await RunBuildAsync(["Promote", "--env", "staging"]);
        Assert.Contains($"Promoting {Repository}@{built} to staging (verified in dev, commit {commit})", promoted.StandardError, StringComparison.Ordinal);
        Assert.Contains("Cannot reach the Kubernetes cluster of kube context 'example-service-staging'", promoted.StandardError, StringComparison.Ordinal);

        var status = await RunBuildAsync(["Status", "--env", "dev"]);
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Contains($"dev runs {Repository}@{built} (version 1.2.3, commit {commit})", status.StandardError, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private DeployRecord Record(string environment, string digest, string commit)
        => new(environment, Repository, digest, "1.2.3", commit, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), environment == "prod" ? "octocat" : null, null);

    /// <summary>What the package job leaves: one image of the commit, tagged with its short SHA.</summary>
    private async Task<string> PushImageAsync(string tag, string content, IReadOnlyDictionary<string, string>? labels = null)
    {
        var layer = Encoding.UTF8.GetBytes(content);
        var config = JsonSerializer.SerializeToUtf8Bytes(new { architecture = "amd64", os = "linux", config = new { Labels = labels ?? new Dictionary<string, string>() }, rootfs = new { type = "layers", diff_ids = Array.Empty<string>() } });
        var layerDigest = await Registry.PutBlobAsync(Repository, layer, CancellationToken.None);
        var configDigest = await Registry.PutBlobAsync(Repository, config, CancellationToken.None);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = layerDigest, size = layer.Length } },
        });
        return await Registry.PutManifestAsync(Repository, tag, new RegistryManifestBlob(manifest, "application/vnd.oci.image.manifest.v1+json", OciRegistry.DigestOf(manifest)), CancellationToken.None);
    }

    private async Task<string> CommitAsync()
    {
        var git = new TestProcessRunner();
        var options = new ProcessOptions { WorkingDirectory = _root };
        await git.RunAsync("git", ["init", "-q"], options);
        await git.RunAsync("git", ["-c", "user.email=test@example.test", "-c", "user.name=test", "commit", "-q", "--allow-empty", "-m", "promoted"], options);
        return (await git.RunAsync("git", ["rev-parse", "HEAD"], options)).StandardOutput.Trim();
    }

    private Task<ProcessResult> RunBuildAsync(IReadOnlyList<string> arguments)
        => new TestProcessRunner().RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "_build.dll"), .. arguments, "--root", _root, "--helm-path", toolchain.Helm(4),
                "--docker-registry", toolchain.Registry.Address, "--image-repository", _repositoryPath],
            new ProcessOptions
            {
                AllowNonZeroExitCode = true,
                WorkingDirectory = _root,
                Environment = LocalBuildEnvironment.With(new Dictionary<string, string?> { ["KUBECONFIG"] = Path.Combine(_root, "no-such-kubeconfig") }),
            });
}
