namespace TypedBuild.Tests.Support;

/// <summary>
/// Three cacheable targets for the remote cache store: Produce writes text and binary outputs (one of them holding
/// a secret) that differ on every run, Package derives a file from them (not from the one with the secret, which the
/// engine masks when the build ends), and Check has notes but no output file.
/// </summary>
internal sealed class SharedCacheBuild : BuildBase
{
    [Parameter("A secret the outputs depend on")]
    [Secret]
    internal readonly string? Token;

    public int BodyRuns { get; private set; }

    public List<string> Restored { get; } = [];

    public Target Produce => _ => _
        .InputFiles("src/**/*.txt")
        .InputValue(() => Token)
        .Outputs("out/produce")
        .WhenRestored(() => Restored.Add(nameof(Produce)))
        .Executes(() =>
        {
            BodyRuns++;
            Directory.CreateDirectory(RootDirectory / "out" / "produce");
            File.WriteAllText(RootDirectory / "out" / "produce" / "result.txt", $"{File.ReadAllText(RootDirectory / "src" / "a.txt")}:{Guid.NewGuid()}");
            File.WriteAllBytes(RootDirectory / "out" / "produce" / "data.bin", [0, 1, 2, 255, .. Guid.NewGuid().ToByteArray()]);
            File.WriteAllText(RootDirectory / "out" / "produce" / "token.txt", $"token {Token}");
            ReportSummary("Lines", "3");
        });

    public Target Package => _ => _
        .DependsOn(Produce)
        .InputFiles("out/produce/result.txt", "out/produce/data.bin")
        .Outputs("out/package")
        .WhenRestored(() => Restored.Add(nameof(Package)))
        .Executes(() =>
        {
            BodyRuns++;
            Directory.CreateDirectory(RootDirectory / "out" / "package");
            File.WriteAllText(RootDirectory / "out" / "package" / "package.txt", $"{File.ReadAllText(RootDirectory / "out" / "produce" / "result.txt")}:{Guid.NewGuid()}");
        });

    public Target Check => _ => _
        .InputFiles("src/**/*.txt")
        .WhenRestored(() => Restored.Add(nameof(Check)))
        .Executes(() =>
        {
            BodyRuns++;
            ReportSummary("Checked", "a.txt");
        });
}
