using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tests.Shared;
using TypedBuild.Provisioning.Daemons;
using TypedBuild.Registries;
using TypedBuild.Tests.Provisioning;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

/// <summary>A real loopback registry (Debian's docker-registry) for the remote cache store tests, on a port of its own.</summary>
public sealed class CacheRegistryFixture : IAsyncLifetime, IDisposable
{
    private readonly TempRoot _temp = new();
    private IAsyncDisposable? _lifetime;

    public LocalRegistry Registry { get; } = new(LoopbackPorts.Free());

    /// <summary>Where the registry keeps its blobs, to prove what reached it.</summary>
    public AbsolutePath DataDirectory => _temp.Root / ".tools" / "registry-data";

    public async Task InitializeAsync() => _lifetime = await Registry.EnsureAsync(_temp.Context(), default);

    public async Task DisposeAsync()
    {
        if (_lifetime is not null)
        {
            await _lifetime.DisposeAsync();
        }
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// The remote cache store against a real registry: a second root in another folder with an empty local store hits
/// what the first pushed, read-only builds push nothing, an unreachable or refusing registry is one warning, a damaged
/// remote entry is a miss, and neither secrets nor the registry login show up.
/// </summary>
public sealed class RemoteCacheTests(CacheRegistryFixture fixture) : IClassFixture<CacheRegistryFixture>, IDisposable
{
    private const string Secret = "hunter2-remote-secret";

    private readonly List<BuildHarness> _roots = [];
    private readonly string _path = $"cache-{Guid.NewGuid():N}";
    private readonly HttpClient _http = new();

    private string Location => $"{fixture.Registry.Address}/{_path}";

    public void Dispose()
    {
        _http.Dispose();
        foreach (var root in _roots)
        {
            root.Dispose();
        }
    }

    /// <summary>A fresh clone: its own folder, the same sources, an empty local store.</summary>
    private BuildHarness Clone()
    {
        var root = new BuildHarness();
        Directory.CreateDirectory(root.Root / "src");
        File.WriteAllText(root.Root / "src" / "a.txt", "alpha");
        _roots.Add(root);
        return root;
    }

    private static Dictionary<string, byte[]> Outputs(BuildHarness root)
        => Directory.EnumerateFiles(root.Root / "out", "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root.Root, f), File.ReadAllBytes);

    private static string Row(RunOutcome<SharedCacheBuild> outcome, string target)
        => outcome.StandardError.Split('\n').Single(l => l.Contains($"│ {target} ", StringComparison.Ordinal));

    /// <summary>How often the log says <paramref name="part"/>, leaving out the recap of warnings at its end.</summary>
    private static int CountInLog(string output, string part)
        => output.Split("Errors & warnings")[0].Split(part).Length - 1;

    private async Task<List<string>> TagsAsync()
    {
        using var response = await _http.GetAsync(new Uri($"http://{fixture.Registry.Address}/v2/{_path}/tags/list"));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var tags = (await response.Content.ReadFromJsonAsync<JsonObject>())?["tags"] as JsonArray;
        return tags?.Select(t => t!.GetValue<string>()).ToList() ?? [];
    }

    [Fact]
    public async Task A_second_root_in_another_folder_with_an_empty_store_hits_what_the_first_pushed_byte_for_byte_with_its_notes()
    {
        var first = Clone();
        var pushed = first.Run<SharedCacheBuild>("Package", "Check", "--token", Secret, "--cache-registry", Location);
        Assert.Equal(ExitCodes.Success, pushed.ExitCode);
        Assert.Equal(3, pushed.Build.BodyRuns);
        Assert.Equal(3, (await TagsAsync()).Count);

        var second = Clone();
        Assert.NotEqual(first.Root, second.Root);
        second.Environment["TYPEDBUILD_CACHE_REGISTRY"] = Location;
        var plan = Clone();
        plan.Environment["TYPEDBUILD_CACHE_REGISTRY"] = Location;
        var planned = JsonDocument.Parse(plan.Run<SharedCacheBuild>("Package", "Check", "--token", Secret, "--plan", "--json").StandardOutput);
        var textPlan = Clone().Run<SharedCacheBuild>("Check", "--plan", "--cache-registry", Location).StandardOutput;
        var hit = second.Run<SharedCacheBuild>("Package", "Check", "--token", Secret);

        Assert.Equal(ExitCodes.Success, hit.ExitCode);
        Assert.Equal(0, hit.Build.BodyRuns);
        Assert.Equal("Check Package Produce", string.Join(' ', hit.Build.Restored.Order()));
        Assert.Equal(Outputs(first).Keys.Order(), Outputs(second).Keys.Order());
        var withSecret = Path.Combine("out", "produce", "token.txt");
        Assert.All(Outputs(first).Where(f => f.Key != withSecret), file => Assert.Equal(file.Value, Outputs(second)[file.Key]));
        Assert.Equal("token ***", File.ReadAllText(second.Root / withSecret));
        Assert.Matches(@"│ Produce\s+│ Cached\s+│\s+\d+:\d\d │ key [0-9a-f]{12} from the remote store; Lines: 3", Row(hit, "Produce"));
        Assert.Contains("key", Row(hit, "Check"), StringComparison.Ordinal);
        Assert.Contains("from the remote store; Checked: a.txt", Row(hit, "Check"), StringComparison.Ordinal);
        Assert.Contains($"of the remote store {Location}", hit.Output, StringComparison.Ordinal);
        // Package's key needs Produce's outputs, which a plan does not restore.
        Assert.All(
            planned.RootElement.GetProperty("targets").EnumerateArray().Where(t => t.GetProperty("name").GetString() != "Package"),
            target => Assert.Equal("remote", target.GetProperty("cache").GetProperty("store").GetString()));
        Assert.Matches(@"Check\s+Cached \(key [0-9a-f]{12}, from the remote store\)", textPlan);
        var again = second.Run<SharedCacheBuild>("Package", "Check", "--token", Secret);
        Assert.Equal(0, again.Build.BodyRuns);
        Assert.DoesNotContain("from the remote store", Row(again, "Produce"), StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_reach_the_registry_only_masked()
    {
        var pushed = Clone().Run<SharedCacheBuild>("Produce", "--token", Secret, "--cache-registry", Location);
        Assert.Equal(ExitCodes.Success, pushed.ExitCode);

        var blobs = Directory.EnumerateFiles(fixture.DataDirectory, "data", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(blobs);
        var zips = 0;
        foreach (var blob in blobs)
        {
            var bytes = File.ReadAllBytes(blob);
            Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            if (bytes.AsSpan().StartsWith("PK"u8))
            {
                using var archive = new ZipArchive(new MemoryStream(bytes));
                foreach (var entry in archive.Entries)
                {
                    using var reader = new StreamReader(entry.Open());
                    Assert.DoesNotContain(Secret, reader.ReadToEnd(), StringComparison.Ordinal);
                    zips++;
                }
            }
        }

        Assert.NotEqual(0, zips);
    }

    [Theory]
    [InlineData("option")]
    [InlineData("environment")]
    [InlineData("github pull request")]
    [InlineData("gitlab merge request")]
    public async Task A_read_only_build_pulls_but_pushes_nothing(string how)
    {
        Assert.Equal(ExitCodes.Success, Clone().Run<SharedCacheBuild>("Check", "--cache-registry", Location).ExitCode);
        var checkKey = Assert.Single(await TagsAsync());

        var reader = Clone();
        string[] arguments = ["Package", "Check", "--cache-registry", Location];
        switch (how)
        {
            case "option":
                arguments = [.. arguments, "--cache-read-only"];
                break;
            case "environment":
                reader.Environment["TYPEDBUILD_CACHE_READ_ONLY"] = "true";
                break;
            case "github pull request":
                reader.DetectHost = true;
                reader.Environment["GITHUB_ACTIONS"] = "true";
                reader.Environment["GITHUB_EVENT_NAME"] = "pull_request";
                break;
            case "gitlab merge request":
                reader.DetectHost = true;
                reader.Environment["GITLAB_CI"] = "true";
                reader.Environment["CI_MERGE_REQUEST_IID"] = "7";
                break;
        }

        var run = reader.Run<SharedCacheBuild>(arguments);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains($"Remote cache store: {Location} (read-only)", run.Output, StringComparison.Ordinal);
        Assert.Equal("Check", Assert.Single(run.Build.Restored));
        Assert.Equal(2, run.Build.BodyRuns);
        Assert.Equal(checkKey, Assert.Single(await TagsAsync()));
    }

    [Fact]
    public void An_unreachable_registry_is_one_warning_and_the_build_goes_on_with_the_local_store()
    {
        var root = Clone();
        var unreachable = $"127.0.0.1:{LoopbackPorts.Free()}/cache";

        var first = root.Run<SharedCacheBuild>("Package", "Check", "--cache-registry", unreachable);
        var second = root.Run<SharedCacheBuild>("Package", "Check", "--cache-registry", unreachable);

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(3, first.Build.BodyRuns);
        Assert.Equal(1, CountInLog(first.Output, "is unavailable"));
        Assert.Contains($"The remote cache store {unreachable} is unavailable (", first.Output, StringComparison.Ordinal);
        Assert.Contains("this build goes on with the local cache store only", first.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Equal(0, second.Build.BodyRuns);
    }

    [Theory]
    [InlineData("outputs")]
    [InlineData("entry manifest")]
    [InlineData("artifact type")]
    public async Task A_damaged_remote_entry_is_a_miss_with_a_warning_and_the_next_push_replaces_it(string damage)
    {
        Assert.Equal(ExitCodes.Success, Clone().Run<SharedCacheBuild>("Produce", "--cache-registry", Location).ExitCode);
        var key = Assert.Single(await TagsAsync());
        await DamageAsync(key, damage);

        var damaged = Clone().Run<SharedCacheBuild>("Produce", "--cache-registry", Location);
        var repaired = Clone().Run<SharedCacheBuild>("Produce", "--cache-registry", Location);

        Assert.Equal(ExitCodes.Success, damaged.ExitCode);
        Assert.Equal(1, damaged.Build.BodyRuns);
        Assert.Contains($"Remote cache entry {key[..12]} in {Location} is damaged (", damaged.Output, StringComparison.Ordinal);
        Assert.Contains("it counts as a miss and the target runs", damaged.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("is unavailable", damaged.Output, StringComparison.Ordinal);
        Assert.Equal(0, repaired.Build.BodyRuns);
        Assert.Equal("Produce", Assert.Single(repaired.Build.Restored));
    }

    /// <summary>Pushes another artifact under the entry's tag, with digests that add up but content that does not.</summary>
    private async Task DamageAsync(string key, string damage)
    {
        var registry = new OciRegistry(_http, RegistryCredentials.Anonymous);
        var manifest = JsonNode.Parse((await registry.GetManifestAsync(Location, key, default))!.Content)!.AsObject();
        switch (damage)
        {
            case "outputs":
                using (var stream = new MemoryStream())
                {
                    using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
                    using (var writer = new StreamWriter(archive.CreateEntry("out/produce/result.txt").Open()))
                    {
                        writer.Write("not what the entry recorded");
                    }

                    var bytes = stream.ToArray();
                    manifest["layers"]![0]!["digest"] = await registry.PutBlobAsync(Location, bytes, default);
                    manifest["layers"]![0]!["size"] = bytes.Length;
                }

                break;
            case "entry manifest":
                var entry = "{ \"format\": 1, \"target\": \"Produce\" }"u8.ToArray();
                manifest["config"]!["digest"] = await registry.PutBlobAsync(Location, entry, default);
                manifest["config"]!["size"] = entry.Length;
                break;
            case "artifact type":
                manifest["artifactType"] = "application/vnd.example.other";
                break;
        }

        var content = JsonSerializer.SerializeToUtf8Bytes(manifest);
        await registry.PutManifestAsync(Location, key, new RegistryManifestBlob(content, "application/vnd.oci.image.manifest.v1+json", OciRegistry.DigestOf(content)), default);
    }

    [Fact]
    public async Task A_refused_login_is_one_warning_naming_the_variables_and_the_login_never_shows()
    {
        using var registry = new RefusingRegistry();
        var root = Clone();
        root.Environment["TYPEDBUILD_CACHE_REGISTRY"] = $"127.0.0.1:{registry.Port}/cache";
        root.Environment["TYPEDBUILD_CACHE_REGISTRY_USERNAME"] = "cache-robot";
        root.Environment["TYPEDBUILD_CACHE_REGISTRY_PASSWORD"] = "s3cret-registry-pass";

        var run = await root.RunAsync<SharedCacheBuild>(["Package", "Check"], default);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(3, run.Build.BodyRuns);
        Assert.Contains("cache-robot:s3cret-registry-pass", registry.Logins);
        Assert.Equal(1, CountInLog(run.Output, "is unavailable"));
        Assert.Contains("Check TYPEDBUILD_CACHE_REGISTRY_USERNAME and TYPEDBUILD_CACHE_REGISTRY_PASSWORD", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-registry-pass", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cache-robot", run.Output, StringComparison.Ordinal);
        Assert.Contains("s3cret-registry-pass", run.Host.Secrets);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("http://127.0.0.1:5000/cache")]
    [InlineData("127.0.0.1:5000/Cache")]
    [InlineData("127.0.0.1:5000/")]
    public void A_malformed_cache_registry_is_a_usage_error_that_shows_the_form(string location)
    {
        var run = Clone().Run<SharedCacheBuild>("Check", "--cache-registry", location);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains($"--cache-registry {location} is not <registry>/<repository>", run.Output, StringComparison.Ordinal);
        Assert.Contains("e.g. 127.0.0.1:5000/typedbuild-cache", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_cache_turns_the_remote_store_off_too()
    {
        var run = Clone().Run<SharedCacheBuild>("Check", "--cache-registry", Location, "--no-cache");

        Assert.Equal(1, run.Build.BodyRuns);
        Assert.DoesNotContain("Remote cache store", run.Output, StringComparison.Ordinal);
        Assert.Empty(await TagsAsync());
    }

    [Fact]
    public void The_help_documents_the_remote_store()
    {
        var help = Clone().Run<SharedCacheBuild>("--help").StandardOutput;

        Assert.Contains("--cache-registry <registry>/<repository>", help, StringComparison.Ordinal);
        Assert.Contains("TYPEDBUILD_CACHE_REGISTRY", help, StringComparison.Ordinal);
        Assert.Contains("--cache-read-only", help, StringComparison.Ordinal);
    }

    /// <summary>A registry that asks for a Basic login and then refuses it, echoing the login it got in its error.</summary>
    private sealed class RefusingRegistry : IDisposable
    {
        private readonly LoopbackHttpServer _server;

        public RefusingRegistry() => _server = new LoopbackHttpServer(RespondAsync);

        public int Port => _server.Port;

        public List<string> Logins { get; } = [];

        public void Dispose() => _server.Dispose();

        private async Task RespondAsync(HttpListenerContext context)
        {
            var authorization = context.Request.Headers["Authorization"];
            if (authorization is null)
            {
                context.Response.StatusCode = 401;
                context.Response.AddHeader("WWW-Authenticate", "Basic realm=\"cache\"");
            }
            else
            {
                var login = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
                lock (Logins)
                {
                    Logins.Add(login);
                }

                context.Response.StatusCode = 403;
                var body = Encoding.UTF8.GetBytes($"{{\"errors\":[{{\"code\":\"DENIED\",\"message\":\"login {login} may not read this repository\"}}]}}");
                await context.Response.OutputStream.WriteAsync(body);
            }
        }
    }
}
