using System.Formats.Tar;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using ExampleService.Build.Delivery.Docker;
using ExampleService.Build.Delivery.Image;
using TypedBuild;
using TypedBuild.Provisioning.Postgres;
using TypedBuild.Registries;
using Xunit.Abstractions;

namespace Build.Tests.Delivery.Docker;

/// <summary>The real service image on a real engine and registry: its shape, its push, and running it as RunLocal does.</summary>
[Collection(ServiceImageGroup.Name)]
[Trait(ExampleService.Build.Quality.TestSuite.RequiresTrait, ExampleService.Build.Quality.TestSuite.Docker)]
public sealed class ServiceImageTests(ServiceImageFixture fixture, ITestOutputHelper output)
{
    /// <summary>The image goals in the decimal megabytes <c>docker images</c> shows.</summary>
    private const long MaxImageBytes = 120L * 1000 * 1000;

    private const long MaxTrimmedImageBytes = 40L * 1000 * 1000;

    private const string ImageTestKey = "image-tests-key-3e8a1f6c2b9d";

    private const string ImageReaderKey = "image-tests-reader-key-9c4e7a1b";

    [DockerFact]
    public async Task Image_is_small_non_root_on_8080_and_labelled_without_sdk_or_sources()
    {
        var image = await fixture.Docker.Images.InspectImageAsync(fixture.Image.Id);

        Assert.InRange(image.Size, 1, MaxImageBytes);
        Assert.Equal("1654", image.Config!.User);
        Assert.Contains("8080/tcp", image.Config.ExposedPorts!.Keys);
        Assert.Equal(["/app/ExampleService"], image.Config.Entrypoint!);
        Assert.Equal(fixture.Revision, image.Config.Labels!["org.opencontainers.image.revision"]);
        Assert.Equal("1.2.3", image.Config.Labels!["org.opencontainers.image.version"]);
        Assert.Equal("https://github.com/example/example-service", image.Config.Labels!["org.opencontainers.image.source"]);
        Assert.True(DateTimeOffset.TryParse(image.Config.Labels!["org.opencontainers.image.created"], out _));
        Assert.Equal(fixture.BaseImage, image.Config.Labels!["org.opencontainers.image.base.name"]);
        Assert.DoesNotContain(fixture.Log.Lines, line => line.Contains("secret.txt", StringComparison.Ordinal));
    }

    [DockerFact]
    public async Task Standard_image_ships_the_start_up_profile_recorded_from_its_own_start_and_trimmed_none()
    {
        var recorded = new FileInfo(fixture.StandardStaging / "app" / StartupProfileRecorder.FileName);
        var created = await fixture.Docker.Containers.CreateContainerAsync(new CreateContainerParameters { Image = fixture.Image.Id });
        try
        {
            var shipped = await fixture.Docker.Containers.GetArchiveFromContainerAsync(
                created.ID, new ContainerPathStatParameters { Path = "/app/" + StartupProfileRecorder.FileName }, statOnly: true);

            // Thousands of methods; a profile the runtime recorded nothing into is a 64-byte header.
            Assert.InRange(recorded.Length, 10_000, 10_000_000);
            Assert.Equal(recorded.Length, shipped.Stat.Size);
        }
        finally
        {
            await fixture.Docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters());
        }

        Assert.False(File.Exists(fixture.TrimmedStaging / "app" / StartupProfileRecorder.FileName));
    }

    [DockerFact]
    public async Task Pushed_digest_is_served_by_the_registry()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{fixture.Registry.Address}/v2/{ImageReference.PathOf(fixture.Repository)}/manifests/{fixture.Digest}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");

        using var response = await http.SendAsync(request);

        Assert.Matches("^sha256:[0-9a-f]{64}$", fixture.Digest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fixture.Digest, response.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [DockerFact]
    public async Task The_same_inputs_built_again_give_the_same_digest_with_the_source_date_as_every_time()
    {
        var image = await fixture.Docker.Images.InspectImageAsync(fixture.Image.Id);
        var rebuilt = await fixture.Docker.Images.InspectImageAsync(fixture.RebuiltImage.Id);
        Assert.True(fixture.Image.Id == fixture.RebuiltImage.Id, $"first:\n{JsonSerializer.Serialize(image.RootFS)}\nrebuilt:\n{JsonSerializer.Serialize(rebuilt.RootFS)}");
        Assert.Equal(fixture.Digest, fixture.RebuiltDigest);
        Assert.NotEqual(fixture.Digest, fixture.SecondDigest);

        Assert.Equal(fixture.SourceDate, new DateTimeOffset(image.Created!.Value));
        Assert.Equal(fixture.SourceDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), image.Config!.Labels!["org.opencontainers.image.created"]);
        var history = await fixture.Docker.Images.GetImageHistoryAsync(fixture.Image.Id);
        Assert.All(history, step => Assert.True(new DateTimeOffset(step.Created) <= fixture.SourceDate, $"{step.CreatedBy} was created {step.Created:O}"));

        var created = await fixture.Docker.Containers.CreateContainerAsync(new CreateContainerParameters { Image = fixture.Image.Id });
        try
        {
            var app = await fixture.Docker.Containers.GetArchiveFromContainerAsync(created.ID, new ContainerPathStatParameters { Path = "/app" }, statOnly: false);
            using var archive = new MemoryStream();
            await app.Stream!.CopyToAsync(archive);
            archive.Position = 0;
            await using var reader = new TarReader(archive);
            var entries = 0;
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                entries++;
                Assert.True(entry.ModificationTime <= fixture.SourceDate, $"{entry.Name} has the time {entry.ModificationTime:O}");
            }

            Assert.True(entries > 10, $"/app held {entries} entries");
        }
        finally
        {
            await fixture.Docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters());
        }
    }

    [DockerFact]
    public async Task A_cached_image_gets_this_build_s_names_and_one_the_engine_lost_is_pulled_but_never_a_tag_that_moved()
    {
        var restorer = new CachedImageRestorer(fixture.Docker, fixture.Log);
        var second = CachedImage.Of(fixture.SecondImage);

        Assert.True(await restorer.RestoreAsync(second, [$"{fixture.Repository}:kept"], RegistryCredentials.Anonymous, default));
        Assert.Equal(second.Id, (await fixture.Docker.Images.InspectImageAsync($"{fixture.Repository}:kept")).ID);

        await fixture.Docker.Images.DeleteImageAsync(second.Id, new ImageDeleteParameters { Force = true });
        Assert.True(await restorer.RestoreAsync(second, [$"{fixture.Repository}:pulled"], RegistryCredentials.Anonymous, default));
        Assert.Equal(second.Id, (await fixture.Docker.Images.InspectImageAsync($"{fixture.Repository}:pulled")).ID);
        Assert.Equal(second.Id, (await fixture.Docker.Images.InspectImageAsync($"{fixture.Repository}:second")).ID);

        // Recorded as "first", which is another image now: the build must run, not ship that one.
        var moved = second with { Id = "sha256:" + new string('0', 64), Names = [$"{fixture.Repository}:first"] };
        Assert.False(await restorer.RestoreAsync(moved, [$"{fixture.Repository}:never-pushed"], RegistryCredentials.Anonymous, default));
        Assert.Contains(fixture.Log.Lines, l => l.Contains($"{fixture.Repository}:first is now another image ({fixture.Image.Id})", StringComparison.Ordinal));
        Assert.Contains(fixture.Log.Lines, l => l.Contains($"{fixture.Repository}:never-pushed cannot be pulled", StringComparison.Ordinal));
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => fixture.Docker.Images.InspectImageAsync($"{fixture.Repository}:never-pushed"));
    }

    [DockerFact]
    public Task Deployed_digest_answers_create_read_delete_and_a_redeploy_replaces_it_keeping_the_data()
        => WithContainerAsync(fixture.Digest, async (containers, spec) =>
        {
            var first = await containers.ReplaceAsync(spec, default);
            // Speed is measured by scripts/benchmark-image-readiness.sh, not asserted on a shared CI machine.
            output.WriteLine($"Ready {first.ReadyAfter.TotalSeconds:0.00} s after start");
            using var http = new HttpClient { BaseAddress = first.Url };
            await AssertCreateReadDeleteAsync(http);
            var kept = await CreateUserAsync(http, "kept");

            var secondDigest = fixture.SecondDigest;
            var second = await containers.ReplaceAsync(spec with { ImageReference = $"{fixture.Repository}@{secondDigest}" }, default);

            Assert.NotEqual(fixture.Digest, secondDigest);
            Assert.Equal(first.ContainerId, second.ReplacedContainerId);
            var running = await containers.FindAsync(spec.Name, default);
            Assert.NotNull(running);
            Assert.Equal(second.ContainerId, running.ID);
            Assert.Equal($"{fixture.Repository}@{secondDigest}", running.Labels![LocalContainerSpec.ImageLabel]);
            var inspected = await fixture.Docker.Containers.InspectContainerAsync(second.ContainerId);
            Assert.True(inspected.HostConfig!.ReadonlyRootfs);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(kept)).StatusCode);
        });

    [DockerFact]
    public async Task Trimmed_image_is_self_contained_on_runtime_deps_smaller_and_answers_create_read_delete()
    {
        var trimmed = await fixture.Docker.Images.InspectImageAsync(fixture.TrimmedImage.Id);
        var standard = await fixture.Docker.Images.InspectImageAsync(fixture.Image.Id);

        await WithContainerAsync(fixture.TrimmedDigest, async (containers, spec) =>
        {
            var deployment = await containers.ReplaceAsync(spec, default);
            output.WriteLine($"Trimmed: {fixture.TrimmedImage.SizeText}, ready {deployment.ReadyAfter.TotalSeconds:0.00} s after start");
            using var http = new HttpClient { BaseAddress = deployment.Url };
            await AssertCreateReadDeleteAsync(http);
        });

        Assert.Contains("runtime-deps", fixture.TrimmedBaseImage, StringComparison.Ordinal);
        Assert.Equal(fixture.TrimmedBaseImage, trimmed.Config!.Labels!["org.opencontainers.image.base.name"]);
        Assert.Equal("1654", trimmed.Config.User);
        Assert.Equal(["/app/ExampleService"], trimmed.Config.Entrypoint!);
        Assert.InRange(trimmed.Size, 1, MaxTrimmedImageBytes);
        Assert.True(trimmed.Size < standard.Size / 2, $"trimmed {trimmed.Size} bytes, standard {standard.Size}");
    }

    /// <summary>README, "The image": <c>docker run --read-only --tmpfs /tmp -p 127.0.0.1:8080:8080 -e ASPNETCORE_ENVIRONMENT=Development -e Authentication__DeveloperMode=true &lt;image&gt;</c>.</summary>
    [DockerFact]
    public async Task The_readme_s_read_only_docker_run_is_ready_and_writes_without_naming_a_volume()
    {
        var port = LoopbackPorts.Free();
        var spec = new LocalContainerSpec("example-service-test-readme-" + Guid.NewGuid().ToString("N")[..8], $"{fixture.Repository}@{fixture.Digest}", port, "");
        var containers = new LocalContainer(fixture.Docker, fixture.Log);
        // Flag for flag the README's command: nothing else, in particular no volume of its own.
        var created = await fixture.Docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.ImageReference,
            Env = ["ASPNETCORE_ENVIRONMENT=Development", "Authentication__DeveloperMode=true"],
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["8080/tcp"] = default },
            HostConfig = new HostConfig
            {
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "" },
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }] },
            },
        });
        try
        {
            await fixture.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            await containers.WaitUntilReadyAsync(spec, created.ID, default);
            using var http = new HttpClient { BaseAddress = spec.Url };
            using var ready = await http.GetAsync(LocalContainerSpec.ReadinessPath);

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            await AssertCreateReadDeleteAsync(http);
            var inspected = await fixture.Docker.Containers.InspectContainerAsync(created.ID);
            Assert.True(inspected.HostConfig!.ReadonlyRootfs);
            // The image's VOLUME: Docker made the data directory a writable (anonymous) volume by itself.
            Assert.Contains(inspected.Mounts!, mount => mount.Destination == LocalContainerSpec.DataDirectory && mount.Type == "volume" && mount.RW);
        }
        finally
        {
            await fixture.Docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }
    }

    [DockerFact]
    public async Task An_unwritable_data_directory_stops_the_image_with_one_line_and_exit_code_2()
    {
        var name = "example-service-test-unwritable-" + Guid.NewGuid().ToString("N")[..8];
        var containers = new LocalContainer(fixture.Docker, fixture.Log);
        var created = await fixture.Docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = $"{fixture.Repository}@{fixture.Digest}",
            Env = ["ASPNETCORE_ENVIRONMENT=Development", "Authentication__DeveloperMode=true"],
            HostConfig = new HostConfig
            {
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "" },
                // The data volume mounted read-only: nowhere to write the database.
                Mounts = [new Mount { Type = "volume", Source = name, Target = LocalContainerSpec.DataDirectory, ReadOnly = true }],
            },
        });
        try
        {
            await fixture.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var exited = await fixture.Docker.Containers.WaitContainerAsync(created.ID, timeout.Token);
            var log = await containers.LogTailAsync(created.ID, default, lines: 100);

            Assert.Equal(2, exited.StatusCode);
            var line = Assert.Single(WholeLines(log));
            Assert.StartsWith("Invalid configuration: The SQLite database '/app/data/example-service.db' cannot be created (Read-only file system): mount a writable volume", line, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
            await fixture.Docker.Volumes.RemoveAsync(name, force: true);
        }
    }

    [DockerFact]
    public Task Standard_image_runs_on_postgresql_with_nothing_in_its_log_above_information()
        => AssertRunsOnPostgresAsync(fixture.Digest);

    [DockerFact]
    public Task Trimmed_image_runs_on_postgresql_with_nothing_in_its_log_above_information()
        => AssertRunsOnPostgresAsync(fixture.TrimmedDigest);

    /// <summary>
    /// The production path: Npgsql (authentication, DNS, type mapping) inside an image whose base holds only the
    /// framework assemblies the service references, or whose code trimming cut down. The container shares the host's
    /// network to reach the loopback cluster.
    /// </summary>
    private async Task AssertRunsOnPostgresAsync(string digest)
    {
        await using var postgres = await ThrowawayPostgresCluster.StartAsync();
        var port = LoopbackPorts.Free();
        var name = "example-service-test-pg-" + Guid.NewGuid().ToString("N")[..8];
        var containers = new LocalContainer(fixture.Docker, fixture.Log);
        var image = $"{fixture.Repository}@{digest}";
        // Hardened as RunLocal runs it (read-only root, no capabilities), on the host's network instead of a port.
        var spec = new LocalContainerSpec(name, image, port, name);
        var hardened = spec.ToCreateParameters().HostConfig!;
        var parameters = new CreateContainerParameters
        {
            Name = name,
            Image = image,
            Env =
            [
                "Database__Provider=Postgres", $"Database__ConnectionString={postgres.ConnectionString}", "Database__MigrateOnStartup=true", $"ASPNETCORE_HTTP_PORTS={port}",
                // Production, as a cluster runs it: credentials required, here one API key given by its hash.
                "Authentication__ApiKeys__0__Id=image-tests", $"Authentication__ApiKeys__0__Sha256={Sha256Hex(ImageTestKey)}", "Authentication__ApiKeys__0__Scopes=users.read users.write",
                "Authentication__ApiKeys__1__Id=image-tests-reader", $"Authentication__ApiKeys__1__Sha256={Sha256Hex(ImageReaderKey)}", "Authentication__ApiKeys__1__Scopes=users.read",
            ],
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                ReadonlyRootfs = hardened.ReadonlyRootfs,
                Tmpfs = hardened.Tmpfs,
                CapDrop = hardened.CapDrop,
                SecurityOpt = hardened.SecurityOpt,
            },
        };
        var created = await fixture.Docker.Containers.CreateContainerAsync(parameters);
        try
        {
            await fixture.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            // The host network puts the service on the spec's URL, 127.0.0.1:<port>.
            await containers.WaitUntilReadyAsync(spec, created.ID, default);
            using var anonymous = new HttpClient { BaseAddress = spec.Url };
            using var http = new HttpClient { BaseAddress = spec.Url };
            http.DefaultRequestHeaders.Add("X-Api-Key", ImageTestKey);

            using var reader = new HttpClient { BaseAddress = spec.Url };
            reader.DefaultRequestHeaders.Add("X-Api-Key", ImageReaderKey);

            using var refused = await anonymous.GetAsync("/api/v1/users");
            using var readable = await reader.GetAsync("/api/v1/users");
            using var forbidden = await reader.PostAsJsonAsync("/api/v1/users", new { username = "reader", email = "reader@example.com", displayName = "Reader" });
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, readable.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            await AssertCreateReadDeleteAsync(http);

            var log = await containers.LogTailAsync(created.ID, default, lines: 500);
            Assert.Contains("Npgsql.EntityFrameworkCore.PostgreSQL", log, StringComparison.Ordinal);
            var aboveInformation = WholeLines(log)
                .Where(line => !line.StartsWith('{') || line.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal));
            var problems = aboveInformation.ToList();
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
        finally
        {
            await containers.RemoveAsync(name, default);
        }
    }

    /// <summary>Runs the pushed digest as RunLocal does (container and volume of the test's own), then removes both.</summary>
    private async Task WithContainerAsync(string digest, Func<LocalContainer, LocalContainerSpec, Task> test)
    {
        var name = "example-service-test-" + Guid.NewGuid().ToString("N")[..8];
        var spec = new LocalContainerSpec(name, $"{fixture.Repository}@{digest}", LoopbackPorts.Free(), name + "-data");
        var containers = new LocalContainer(fixture.Docker, fixture.Log);
        try
        {
            await test(containers, spec);
        }
        finally
        {
            await containers.RemoveAsync(name, default);
            await fixture.Docker.Volumes.RemoveAsync(spec.DataVolume, force: true);
        }
    }

    private static async Task AssertCreateReadDeleteAsync(HttpClient http)
    {
        var location = await CreateUserAsync(http, "round-trip");

        var read = await http.GetFromJsonAsync<JsonElement>(location);
        var deleted = await http.DeleteAsync(location);
        var afterDelete = await http.GetAsync(location);

        Assert.Equal("round-trip", read.GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
    }

    /// <summary>
    /// The log's lines, whole again: the engine's log stream is read in 8 KiB pieces, which can cut a long JSON line
    /// in two, so a piece continues the line before it while that line is an unfinished JSON object.
    /// </summary>
    private static List<string> WholeLines(string log)
    {
        var lines = new List<string>();
        foreach (var piece in log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (lines.Count > 0 && lines[^1].StartsWith('{') && !lines[^1].EndsWith('}'))
            {
                lines[^1] += piece;
            }
            else
            {
                lines.Add(piece);
            }
        }

        return lines;
    }

    private static string Sha256Hex(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    private static async Task<Uri> CreateUserAsync(HttpClient http, string username)
    {
        using var created = await http.PostAsJsonAsync("/api/v1/users", new { username, email = $"{username}@example.com", displayName = username });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return created.Headers.Location!;
    }
}
