using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class ReproducibleImageTests
{
    private static readonly DateTimeOffset SourceDate = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Clamping_keeps_every_entry_but_no_time_later_than_the_source_date()
    {
        var older = SourceDate.AddYears(-3);
        var source = await TarOfAsync(
            Entry(TarEntryType.Directory, "app/", SourceDate.AddDays(2)),
            Entry(TarEntryType.RegularFile, "app/ExampleService", SourceDate.AddDays(2), "host", UnixFileMode.UserExecute | UnixFileMode.UserRead),
            Entry(TarEntryType.RegularFile, "etc/os-release", older, "debian"),
            Link("app/current", "ExampleService", SourceDate.AddHours(1)));

        var entries = await EntriesAsync(await ClampAsync(source));

        Assert.Equal(["app/", "app/ExampleService", "etc/os-release", "app/current"], entries.Select(e => e.Name));
        Assert.Equal([SourceDate, SourceDate, older, SourceDate], entries.Select(e => e.ModificationTime));
        Assert.Equal("host", entries[1].Content);
        Assert.Equal(UnixFileMode.UserExecute | UnixFileMode.UserRead, entries[1].Mode);
        Assert.Equal(1654, entries[1].Uid);
        Assert.Equal("ExampleService", entries[3].LinkName);
        Assert.All(entries, entry => Assert.Equal(TarEntryFormat.Gnu, entry.Format));
    }

    [Fact]
    public async Task An_entry_with_attributes_of_its_own_keeps_them_and_no_other_writes_a_header_named_after_the_process()
    {
        var capability = Entry(TarEntryType.RegularFile, "usr/bin/ping", SourceDate.AddDays(1), "ping");
        var withCapability = new PaxTarEntry(TarEntryType.RegularFile, "usr/bin/ping", new Dictionary<string, string> { ["SCHILY.xattr.security.capability"] = "cap" })
        {
            ModificationTime = SourceDate.AddDays(1),
            DataStream = new MemoryStream("ping"u8.ToArray()),
        };

        var plain = await ClampAsync(await TarOfAsync(capability));
        var entries = await EntriesAsync(await ClampAsync(await TarOfAsync(withCapability)));

        // .NET names a PAX extended header PaxHeaders.<process id>: a second build, another process, would differ.
        Assert.DoesNotContain("PaxHeaders", Encoding.ASCII.GetString(plain), StringComparison.Ordinal);
        Assert.Equal("cap", Assert.Single(entries).Attributes["SCHILY.xattr.security.capability"]);
        Assert.Equal(SourceDate, entries[0].ModificationTime);
    }

    [Fact]
    public async Task Two_contexts_that_differ_only_in_later_file_times_clamp_to_the_same_bytes()
    {
        var first = await TarOfAsync(Entry(TarEntryType.RegularFile, "app/a.dll", SourceDate.AddMinutes(5), "a"));
        var second = await TarOfAsync(Entry(TarEntryType.RegularFile, "app/a.dll", SourceDate.AddDays(9), "a"));

        Assert.NotEqual(first, second);
        Assert.Equal(await ClampAsync(first), await ClampAsync(second));
    }

    [Fact]
    public void The_configuration_takes_the_source_date_and_loses_the_build_containers()
    {
        var config = JsonNode.Parse("""
            {
              "created": "2026-12-02T10:11:12.123456789Z",
              "container": "0f3c9a1b2c3d",
              "container_config": { "Hostname": "0f3c9a1b2c3d", "Image": "sha256:aaaa" },
              "config": { "Hostname": "", "Image": "sha256:bbbb", "User": "1654" },
              "history": [
                { "created": "2024-01-01T00:00:00Z", "created_by": "base" },
                { "created": "2026-12-02T10:11:12Z", "created_by": "COPY app" }
              ]
            }
            """)!.AsObject();

        ReproducibleImage.RewriteConfig(config, SourceDate);

        Assert.Equal("2026-11-30T12:00:00Z", config["created"]!.GetValue<string>());
        Assert.Equal(["2024-01-01T00:00:00Z", "2026-11-30T12:00:00Z"], config["history"]!.AsArray().Select(h => h!["created"]!.GetValue<string>()));
        Assert.False(config.ContainsKey("container"));
        Assert.False(config.ContainsKey("container_config"));
        Assert.Equal("""{"User":"1654"}""", config["config"]!.ToJsonString());
    }

    private static async Task<byte[]> ClampAsync(byte[] tar)
    {
        using var output = new MemoryStream();
        await ReproducibleImage.ClampTimesAsync(new MemoryStream(tar), output, SourceDate, default);
        return output.ToArray();
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, DateTimeOffset time, string? content = null, UnixFileMode mode = UnixFileMode.UserRead)
    {
        var entry = new PaxTarEntry(type, name, new Dictionary<string, string> { ["atime"] = "1700000000", ["ctime"] = "1800000000" })
        {
            ModificationTime = time,
            Mode = mode,
            Uid = 1654,
            Gid = 1654,
        };
        if (content is not null)
        {
            entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        }

        return entry;
    }

    private static PaxTarEntry Link(string name, string target, DateTimeOffset time)
        => new(TarEntryType.SymbolicLink, name) { LinkName = target, ModificationTime = time };

    private static async Task<byte[]> TarOfAsync(params TarEntry[] entries)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                await writer.WriteEntryAsync(entry);
            }
        }

        return tar.ToArray();
    }

    private sealed record ReadEntry(string Name, DateTimeOffset ModificationTime, string? Content, UnixFileMode Mode, int Uid, string LinkName, TarEntryFormat Format, IReadOnlyDictionary<string, string> Attributes);

    private static async Task<List<ReadEntry>> EntriesAsync(byte[] tar)
    {
        var entries = new List<ReadEntry>();
        await using var reader = new TarReader(new MemoryStream(tar));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var content = entry.DataStream is null ? null : await new StreamReader(entry.DataStream).ReadToEndAsync();
            var attributes = entry is PaxTarEntry pax ? pax.ExtendedAttributes : new Dictionary<string, string>();
            entries.Add(new ReadEntry(entry.Name, entry.ModificationTime, content, entry.Mode, entry.Uid, entry.LinkName, entry.Format, attributes));
        }

        return entries;
    }
}
