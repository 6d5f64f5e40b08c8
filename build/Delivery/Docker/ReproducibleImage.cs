using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using TypedBuild;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// Makes an image the engine built depend on its inputs only, as BuildKit does with <c>SOURCE_DATE_EPOCH</c> and
/// <c>rewrite-timestamp=true</c>, for engines whose builder has neither (the classic builder of Docker 20.10, which
/// stamps the build time, its container ids and the intermediate images into the image). The image's own layers get
/// no file time later than the given one, its configuration that time as its creation and no trace of the build's
/// containers, and the engine loads the result under the same names. The base image's layers stay as they are.
/// So the same commit, built again anywhere from the same base and publish output, gives the same image ID and digest.
/// </summary>
public sealed class ReproducibleImage(IDockerClient docker, IBuildLog log)
{
    /// <summary>The empty base (<c>FROM scratch</c>), which the engine has no image for.</summary>
    public const string Scratch = "scratch";

    /// <summary>Rewrites <paramref name="built"/> and returns it under its new ID (the same ID when it already was).</summary>
    public async Task<BuiltImage> RewriteAsync(BuiltImage built, string baseImage, DateTimeOffset sourceDate, CancellationToken cancellationToken)
    {
        var baseLayers = baseImage == Scratch ? 0 : (await docker.Images.InspectImageAsync(baseImage, cancellationToken).ConfigureAwait(false)).RootFS?.Layers?.Count ?? 0;
        var work = Directory.CreateTempSubdirectory("reproducible-image-");
        try
        {
            var saved = Directory.CreateDirectory(Path.Combine(work.FullName, "saved")).FullName;
            var exported = Path.Combine(work.FullName, "saved.tar");
            await using (var export = await docker.Images.SaveImageAsync(built.Id, cancellationToken).ConfigureAwait(false))
            await using (var file = File.Create(exported))
            {
                await export.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            await TarFile.ExtractToDirectoryAsync(exported, saved, overwriteFiles: false, cancellationToken).ConfigureAwait(false);
            File.Delete(exported);

            var archive = await RewriteArchiveAsync(saved, Path.Combine(work.FullName, "rewritten"), baseLayers, sourceDate, built.Names, cancellationToken).ConfigureAwait(false);
            string? error = null;
            await using (var load = File.OpenRead(archive))
            {
                await docker.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, load, new SynchronousProgress<JSONMessage>(message => error ??= message.Error?.Message), cancellationToken).ConfigureAwait(false);
            }

            if (error is not null)
            {
                throw new InvalidOperationException($"The engine refused the image with its file times set to the source date: {error.Trim()}");
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var loaded = await docker.Images.InspectImageAsync(built.Names[0], cancellationToken).ConfigureAwait(false);
        if (loaded.ID != built.Id)
        {
            // The names moved to the rewritten image; the engine's own build is nobody's any more.
            await docker.Images.DeleteImageAsync(built.Id, new ImageDeleteParameters(), cancellationToken).ConfigureAwait(false);
        }

        log.Information($"Source date {sourceDate.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} for every time in the image: {built.Names[0]} is {loaded.ID}");
        return built with { Id = loaded.ID };
    }

    /// <summary>
    /// Writes the image of an extracted <c>docker save</c> (<paramref name="saved"/>) with its layers from
    /// <paramref name="baseLayers"/> on and its configuration rewritten, as an archive <c>docker load</c> reads.
    /// </summary>
    internal static async Task<string> RewriteArchiveAsync(
        string saved, string output, int baseLayers, DateTimeOffset sourceDate, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(saved, "manifest.json"), cancellationToken).ConfigureAwait(false))!.AsArray().Single()!;
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(saved, manifest["Config"]!.GetValue<string>()), cancellationToken).ConfigureAwait(false))!.AsObject();
        var layers = manifest["Layers"]!.AsArray().Select(layer => layer!.GetValue<string>()).ToList();
        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray();
        Directory.CreateDirectory(output);

        var written = new List<string>();
        for (var i = 0; i < layers.Count; i++)
        {
            if (i < baseLayers)
            {
                written.Add(Path.Combine(saved, layers[i]));
                continue;
            }

            var layer = Path.Combine(output, $"layer-{i}.tar");
            diffIds[i] = await ClampLayerAsync(Path.Combine(saved, layers[i]), layer, sourceDate, cancellationToken).ConfigureAwait(false);
            written.Add(layer);
        }

        RewriteConfig(config, sourceDate);
        var configBytes = JsonSerializer.SerializeToUtf8Bytes(config);
        var configName = $"{Convert.ToHexStringLower(SHA256.HashData(configBytes))}.json";
        var layerNames = written.Select((_, i) => $"layers/{i}.tar").ToList();
        var loadManifest = new JsonArray(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new JsonArray([.. names.Select(name => JsonValue.Create(name))]),
            ["Layers"] = new JsonArray([.. layerNames.Select(name => JsonValue.Create(name))]),
        });

        var archive = Path.Combine(output, "image.tar");
        await using var stream = File.Create(archive);
        await using var writer = new TarWriter(stream, TarEntryFormat.Gnu);
        await WriteAsync(writer, configName, new MemoryStream(configBytes), cancellationToken).ConfigureAwait(false);
        await WriteAsync(writer, "manifest.json", new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(loadManifest)), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < written.Count; i++)
        {
            await using var layer = File.OpenRead(written[i]);
            await WriteAsync(writer, layerNames[i], layer, cancellationToken).ConfigureAwait(false);
        }

        return archive;
    }

    /// <summary>
    /// The creation time, and that of every history entry after it, becomes <paramref name="sourceDate"/>; the build's
    /// containers and intermediate images (which the classic builder names in the configuration) are left out.
    /// </summary>
    internal static void RewriteConfig(JsonObject config, DateTimeOffset sourceDate)
    {
        var stamp = sourceDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        config["created"] = stamp;
        foreach (var entry in config["history"]?.AsArray() ?? [])
        {
            if (entry?["created"] is { } created && DateTimeOffset.Parse(created.GetValue<string>(), CultureInfo.InvariantCulture) > sourceDate)
            {
                entry["created"] = stamp;
            }
        }

        config.Remove("container");
        config.Remove("container_config");
        if (config["config"] is JsonObject runConfig)
        {
            runConfig.Remove("Image");
            runConfig.Remove("Hostname");
        }
    }

    /// <summary>Copies a layer with no file time later than <paramref name="sourceDate"/>; returns its diff ID.</summary>
    internal static async Task<string> ClampLayerAsync(string source, string destination, DateTimeOffset sourceDate, CancellationToken cancellationToken)
    {
        await using (var input = File.OpenRead(source))
        await using (var output = File.Create(destination))
        {
            await ClampTimesAsync(input, output, sourceDate, cancellationToken).ConfigureAwait(false);
        }

        await using var written = File.OpenRead(destination);
        return $"sha256:{Convert.ToHexStringLower(await SHA256.HashDataAsync(written, cancellationToken).ConfigureAwait(false))}";
    }

    /// <summary>
    /// Copies a tar stream with no modification time later than <paramref name="sourceDate"/> and without access and
    /// change times (a build context's files carry them; the engine could never reproduce them). Everything else of
    /// each entry (name, type, mode, owner, link, extended attributes such as file capabilities, content) is kept.
    /// Entries are written in the GNU format, which needs no extended header: .NET names those after the writing
    /// process (<c>PaxHeaders.&lt;pid&gt;</c>), so two builds would differ. Only an entry with extended attributes of its
    /// own keeps the PAX format.
    /// </summary>
    public static async Task ClampTimesAsync(Stream source, Stream destination, DateTimeOffset sourceDate, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(source, leaveOpen: true);
        await using var writer = new TarWriter(destination, TarEntryFormat.Gnu, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            // Global attributes hold no file time; they apply to the entries after them as they are.
            await writer.WriteEntryAsync(entry is PaxGlobalExtendedAttributesTarEntry ? entry : Clamped(entry, sourceDate), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Extended attributes that the writer derives from the entry's own fields, or that hold times.</summary>
    private static readonly HashSet<string> DerivedOrTimeAttributes = new(StringComparer.Ordinal) { "atime", "ctime", "mtime", "path", "linkpath", "size", "uid", "gid", "uname", "gname" };

    private static PosixTarEntry Clamped(TarEntry entry, DateTimeOffset sourceDate)
    {
        var attributes = entry is PaxTarEntry pax
            ? pax.ExtendedAttributes.Where(attribute => !DerivedOrTimeAttributes.Contains(attribute.Key)).ToList()
            : [];
        var type = entry.EntryType == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType;
        var time = entry.ModificationTime > sourceDate ? sourceDate : entry.ModificationTime;
        PosixTarEntry clamped = attributes.Count > 0
            ? new PaxTarEntry(type, entry.Name, attributes)
            : new GnuTarEntry(type, entry.Name) { AccessTime = time, ChangeTime = time };
        clamped.Mode = entry.Mode;
        clamped.Uid = entry.Uid;
        clamped.Gid = entry.Gid;
        clamped.ModificationTime = time;
        if (entry.DataStream is not null)
        {
            clamped.DataStream = entry.DataStream;
        }

        if (entry is PosixTarEntry posix)
        {
            clamped.UserName = posix.UserName;
            clamped.GroupName = posix.GroupName;
            if (entry.EntryType is TarEntryType.BlockDevice or TarEntryType.CharacterDevice)
            {
                clamped.DeviceMajor = posix.DeviceMajor;
                clamped.DeviceMinor = posix.DeviceMinor;
            }
        }

        if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            clamped.LinkName = entry.LinkName;
        }

        return clamped;
    }

    private static async Task WriteAsync(TarWriter writer, string name, Stream content, CancellationToken cancellationToken)
    {
        var entry = new GnuTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = content,
            ModificationTime = DateTimeOffset.UnixEpoch,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }
}
