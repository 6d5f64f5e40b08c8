using System.Text.Json;
using TypedBuild.Caching;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

/// <summary>
/// The content-addressed target cache: a hit restores outputs and notes, every kind of input causes a miss that the
/// explanation names, a damaged entry is a miss with a warning, secrets stay out of keys and entries.
/// </summary>
public sealed class CacheTests : IDisposable
{
    private const string Secret = "hunter2-cache-secret";

    private readonly BuildHarness _harness = new();

    public CacheTests()
    {
        Directory.CreateDirectory(_harness.Root / "src" / "ignored");
        File.WriteAllText(_harness.Root / "src" / "a.txt", "alpha");
        File.WriteAllText(_harness.Root / "src" / "ignored" / "x.txt", "ignored");
        WriteTool("1.0");
    }

    private AbsolutePath Cache => _harness.Root / ".nuke" / "temp" / "cache";

    public void Dispose() => _harness.Dispose();

    private void WriteTool(string version) => File.WriteAllText(_harness.Root / CacheBuild.ToolScript, $"echo tool {version}\n");

    private static string Row(RunOutcome<CacheBuild> outcome, string target)
        => outcome.StandardError.Split('\n').Single(l => l.Contains($"│ {target} ", StringComparison.Ordinal));

    private Dictionary<string, byte[]> Outputs()
        => Directory.EnumerateFiles(_harness.Root / "out", "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_harness.Root, f), File.ReadAllBytes);

    [Fact]
    public void A_second_run_with_the_same_inputs_is_cached_restores_notes_and_says_so_in_summary_and_plan()
    {
        var first = _harness.Run<CacheBuild>("After");
        var second = _harness.Run<CacheBuild>("After");
        var plan = _harness.Run<CacheBuild>("After", "--plan");
        var json = JsonDocument.Parse(_harness.Run<CacheBuild>("After", "--plan", "--json").StandardOutput);

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(1, first.Build.BodyRuns);
        Assert.Contains("Cache miss: no entry for Produce yet", first.Output);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Equal(0, second.Build.BodyRuns);
        Assert.Equal(1, second.Build.Restores);
        Assert.Matches(@"│ Produce\s+│ Cached\s+│\s+\d+:\d\d │ key [0-9a-f]{12}; Lines: 3", Row(second, "Produce"));
        Assert.Contains("After sees plain", second.Output);
        var key = Row(second, "Produce").Split("key ")[1][..12];
        Assert.Matches($@"Produce\s+Cached \(key {key}\)", plan.StandardOutput);
        var produce = json.RootElement.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Produce");
        Assert.Equal("Cached", produce.GetProperty("cache").GetProperty("status").GetString());
        Assert.StartsWith(key, produce.GetProperty("cache").GetProperty("key").GetString(), StringComparison.Ordinal);
        var after = json.RootElement.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "After");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("cache").ValueKind);
    }

    [Fact]
    public void A_restored_output_equals_the_one_produced_whether_it_was_deleted_or_changed()
    {
        _harness.Run<CacheBuild>("Produce");
        var produced = Outputs();

        Directory.Delete(_harness.Root / "out", recursive: true);
        var afterDelete = _harness.Run<CacheBuild>("Produce");
        Assert.Equal(0, afterDelete.Build.BodyRuns);
        Assert.Equal(produced.Keys.Order(), Outputs().Keys.Order());
        Assert.All(produced, file => Assert.Equal(file.Value, Outputs()[file.Key]));

        File.WriteAllText(_harness.Root / "out" / "result.txt", "tampered");
        File.WriteAllText(_harness.Root / "out" / "reports" / "stray.txt", "not produced");
        var afterChange = _harness.Run<CacheBuild>("Produce");
        Assert.Equal(0, afterChange.Build.BodyRuns);
        Assert.Equal(produced.Keys.Order(), Outputs().Keys.Order());
        Assert.All(produced, file => Assert.Equal(file.Value, Outputs()[file.Key]));
    }

    public static TheoryData<string, string> InputChanges => new()
    {
        { "file", "file src/a.txt changed since entry" },
        { "new file", "file src/b.txt is new since entry" },
        { "removed file", "file src/a.txt was removed since entry" },
        { "value", "value Flavour changed (plain -> spicy) since entry" },
        { "secret", "value Token changed (unset -> (secret)) since entry" },
        { "environment", "environment variable CACHE_TEST_MODE changed (unset -> fast) since entry" },
        { "tool", "tool sh tool-version.sh changed (tool 1.0 -> tool 2.0) since entry" },
        { "platform", "platform (distribution, runtime, user) changed (debian 12 linux-x64 root -> ubuntu 24.04 linux-x64 non-root) since entry" },
    };

    [Theory]
    [MemberData(nameof(InputChanges))]
    public void Changing_an_input_of_any_kind_is_a_miss_that_names_it_in_the_plan_and_the_log(string change, string explanation)
    {
        Assert.Equal(1, _harness.Run<CacheBuild>("Produce").Build.BodyRuns);
        string[] arguments = ["Produce"];
        switch (change)
        {
            case "file":
                File.WriteAllText(_harness.Root / "src" / "a.txt", "alpha, edited");
                break;
            case "new file":
                File.WriteAllText(_harness.Root / "src" / "b.txt", "beta");
                break;
            case "removed file":
                File.Move(_harness.Root / "src" / "a.txt", _harness.Root / "src" / "a.md");
                break;
            case "value":
                arguments = [.. arguments, "--flavour", "spicy"];
                break;
            case "secret":
                arguments = [.. arguments, "--token", Secret];
                break;
            case "environment":
                _harness.Environment["CACHE_TEST_MODE"] = "fast";
                break;
            case "tool":
                WriteTool("2.0");
                break;
            case "platform":
                _harness.CachePlatform = "ubuntu 24.04 linux-x64 non-root";
                break;
        }

        var plan = _harness.Run<CacheBuild>([.. arguments, "--plan"]);
        var run = _harness.Run<CacheBuild>(arguments);

        Assert.Contains($"run (cache miss: {explanation}", plan.StandardOutput);
        Assert.Contains($"Cache miss: {explanation}", run.Output);
        Assert.Equal(1, run.Build.BodyRuns);
        Assert.Equal(0, _harness.Run<CacheBuild>(arguments).Build.BodyRuns);
    }

    [Fact]
    public void An_excluded_file_is_no_input()
    {
        _harness.Run<CacheBuild>("Produce");
        File.WriteAllText(_harness.Root / "src" / "ignored" / "x.txt", "changed");

        Assert.Equal(0, _harness.Run<CacheBuild>("Produce").Build.BodyRuns);
    }

    [Fact]
    public void Secrets_appear_neither_in_keys_nor_in_entries_and_masked_outputs_are_stored_masked()
    {
        var first = _harness.Run<CacheBuild>("Produce", "--token", Secret);
        Assert.Equal(ExitCodes.Success, first.ExitCode);

        var stored = Directory.EnumerateFiles(Cache, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(stored);
        foreach (var file in stored)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.DoesNotContain(Secret, System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            if (file.EndsWith(".zip", StringComparison.Ordinal))
            {
                using var archive = System.IO.Compression.ZipFile.OpenRead(file);
                foreach (var entry in archive.Entries)
                {
                    using var reader = new StreamReader(entry.Open());
                    Assert.DoesNotContain(Secret, reader.ReadToEnd(), StringComparison.Ordinal);
                }

                Assert.Contains(archive.Entries, e => e.FullName == "out/reports/token.txt");
            }
        }

        var manifest = File.ReadAllText(stored.Single(f => f.EndsWith("entry.json", StringComparison.Ordinal)));
        Assert.Contains("(secret)", manifest);
        Assert.DoesNotContain(Secret, first.Output);
    }

    [Theory]
    [InlineData("manifest")]
    [InlineData("archive")]
    [InlineData("partial")]
    public void A_damaged_or_partial_entry_is_a_miss_with_a_warning_and_is_replaced(string damage)
    {
        _harness.Run<CacheBuild>("Produce");
        var entry = Directory.EnumerateDirectories(Cache / "entries").Single();
        switch (damage)
        {
            case "manifest":
                File.WriteAllText(Path.Combine(entry, "entry.json"), "{ \"format\": 1, \"target\": ");
                break;
            case "archive":
                var archive = Path.Combine(entry, "outputs.zip");
                File.WriteAllBytes(archive, File.ReadAllBytes(archive)[..20]);
                break;
            case "partial":
                File.Delete(Path.Combine(entry, "outputs.zip"));
                break;
        }

        var run = _harness.Run<CacheBuild>("Produce");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(1, run.Build.BodyRuns);
        Assert.Contains($"Cache entry {Path.GetFileName(entry)[..12]} is damaged", run.Output);
        Assert.Contains("it is removed and the target runs", run.Output);
        Assert.Equal(0, _harness.Run<CacheBuild>("Produce").Build.BodyRuns);
    }

    [Fact]
    public void No_cache_runs_the_target_and_a_failure_records_nothing()
    {
        var failed = _harness.Run<CacheBuild>("Produce", "--fail");
        Assert.Equal(ExitCodes.TargetFailed, failed.ExitCode);
        Assert.False(Directory.Exists(Cache / "entries"));

        _harness.Run<CacheBuild>("Produce");
        var uncached = _harness.Run<CacheBuild>("Produce", "--no-cache");
        Assert.Equal(1, uncached.Build.BodyRuns);
        Assert.DoesNotContain("Cache", uncached.Output);
        Assert.Matches(@"Produce\s+run\r?\n", _harness.Run<CacheBuild>("Produce", "--plan", "--no-cache").StandardOutput);
    }

    [Fact]
    public void A_tool_given_by_its_path_is_read_when_the_key_is_computed_and_named_by_its_expression()
    {
        Assert.Equal(1, _harness.Run<CacheBuild>("Versioned").Build.BodyRuns);
        Assert.Equal(0, _harness.Run<CacheBuild>("Versioned").Build.BodyRuns);

        WriteTool("2.0");
        var upgraded = _harness.Run<CacheBuild>("Versioned");
        var missing = _harness.Run<CacheBuild>("Versioned", "--tool-shell", "/nonexistent/sh");

        Assert.Equal(1, upgraded.Build.BodyRuns);
        Assert.Contains("Cache miss: tool ToolShell tool-version.sh changed (tool 1.0 -> tool 2.0) since entry", upgraded.Output);
        Assert.Equal(1, missing.Build.BodyRuns);
        Assert.Contains("Cache miss: tool ToolShell tool-version.sh changed (tool 2.0 -> not installed or not answering) since entry", missing.Output);
    }

    [Fact]
    public void What_a_target_made_outside_is_brought_back_on_a_hit_and_the_target_runs_when_it_is_gone_or_out_of_reach()
    {
        var first = _harness.Run<CacheBuild>("Publish");
        var id = File.ReadAllText(_harness.Root / "out" / "published.txt");
        var hit = _harness.Run<CacheBuild>("Publish");
        var plan = _harness.Run<CacheBuild>("Publish", "--plan");

        Assert.Equal(1, first.Build.BodyRuns);
        Assert.Equal(0, hit.Build.BodyRuns);
        Assert.Equal([id], hit.Build.Pulled);
        Assert.Matches($@"│ Publish\s+│ Cached\s+│\s+\d+:\d\d │ key [0-9a-f]{{12}}; Package: {id[..8]}", Row(hit, "Publish"));
        Assert.Matches(@"Publish\s+Cached \(key [0-9a-f]{12}\) if the published package in the registry is still there, else run", plan.StandardOutput);

        var unreachable = _harness.Run<CacheBuild>("Publish", "--registry-down");
        Assert.Equal(ExitCodes.Success, unreachable.ExitCode);
        Assert.Equal(1, unreachable.Build.BodyRuns);
        Assert.Matches(@"Restoring Publish from cache entry [0-9a-f]{12} failed \(Connection refused \(127\.0\.0\.1:9\)\); the target runs instead", unreachable.Output);

        Directory.Delete(_harness.Root / "registry", recursive: true);
        var gone = _harness.Run<CacheBuild>("Publish");
        Assert.Equal(ExitCodes.Success, gone.ExitCode);
        Assert.Equal(1, gone.Build.BodyRuns);
        Assert.Empty(gone.Build.Pulled);
        Assert.Matches(@"Cache entry [0-9a-f]{12} found, but the published package in the registry is gone; the target runs instead", gone.Output);
        Assert.Matches(@"│ Publish\s+│ Succeeded", Row(gone, "Publish"));
        Assert.Equal(0, _harness.Run<CacheBuild>("Publish").Build.BodyRuns);
    }

    [Fact]
    public void A_false_CachedOnlyWhen_runs_the_target_and_records_nothing()
    {
        var uncached = _harness.Run<CacheBuild>("Produce", "--uncached");

        Assert.Equal(1, uncached.Build.BodyRuns);
        Assert.Contains("Not cached: !Uncached", uncached.Output);
        Assert.False(Directory.Exists(Cache / "entries"));
        Assert.Equal(1, _harness.Run<CacheBuild>("Produce").Build.BodyRuns);
    }

    [Fact]
    public void The_store_evicts_the_least_recently_used_entries_beyond_its_size()
    {
        File.WriteAllBytes(_harness.Root / "big.txt", System.Security.Cryptography.RandomNumberGenerator.GetBytes(4000));
        var store = new LocalCacheStore(Cache, maxBytes: 15_000, _ => { });
        var masker = new SecretMasker();
        CacheFingerprint Fingerprint(string key) => new("T", key.PadRight(64, '0'), []);

        foreach (var key in new[] { "a", "b", "c" })
        {
            store.Write(Fingerprint(key), _harness.Root, ["big.txt"], [], null, masker);
            Thread.Sleep(20);
        }

        Assert.NotNull(store.TryRead(Fingerprint("a").Key));
        Thread.Sleep(20);
        store.Write(Fingerprint("d"), _harness.Root, ["big.txt"], [], null, masker);

        Assert.NotNull(store.TryRead(Fingerprint("a").Key));
        Assert.Null(store.TryRead(Fingerprint("b").Key));
        Assert.NotNull(store.TryRead(Fingerprint("d").Key));
    }

    [Fact]
    public async Task Two_builds_writing_the_same_entry_at_once_leave_one_whole_entry()
    {
        File.WriteAllText(_harness.Root / "big.txt", new string('y', 200_000));
        var warnings = new List<string>();
        var store = new LocalCacheStore(Cache, LocalCacheStore.DefaultMaxBytes, warnings.Add);
        var fingerprint = new CacheFingerprint("T", new string('e', 64), []);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.Write(fingerprint, _harness.Root, ["big.txt"], [], null, new SecretMasker()))));

        var entry = store.TryRead(fingerprint.Key);
        Assert.NotNull(entry);
        Assert.Empty(warnings);
        Assert.Single(Directory.EnumerateDirectories(Cache / "entries"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Cache / "incoming"));
    }
}
