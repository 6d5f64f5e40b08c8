using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Secrets;

/// <summary>Files the targets write under <c>artifacts/</c> are masked once the targets ran; binary files are left alone.</summary>
public sealed class ArtifactMaskingTests : IDisposable
{
    private const string Key = "-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA7x\n-----END KEY-----";
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void A_report_holding_a_multi_line_secret_is_masked_and_named_in_a_warning()
    {
        _harness.Environment["KEY"] = Key;

        var outcome = _harness.Run<ReportBuild>("Report");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var report = File.ReadAllText(_harness.Root / "artifacts" / "reports" / "report.html");
        Assert.DoesNotContain("MIIEpAIBAAKCAQEA7x", report, StringComparison.Ordinal);
        Assert.Contains("<pre>***", report, StringComparison.Ordinal);
        Assert.Equal(ReportBuild.Binary, File.ReadAllBytes(_harness.Root / "artifacts" / "image.bin"));
        Assert.Contains("artifacts/reports/report.html held a secret value", outcome.Output, StringComparison.Ordinal);
    }

    internal sealed class ReportBuild : BuildBase
    {
        public static readonly byte[] Binary = [0, 1, 2, .. "MIIEpAIBAAKCAQEA7x"u8.ToArray()];

        [Parameter("A key")]
        [Secret]
        internal readonly string? Key;

        public Target Report => _ => _.Executes(() =>
        {
            Directory.CreateDirectory(RootDirectory / "artifacts" / "reports");
            File.WriteAllText(RootDirectory / "artifacts" / "reports" / "report.html", $"<pre>{Key}</pre>");
            File.WriteAllBytes(RootDirectory / "artifacts" / "image.bin", Binary);
        });
    }
}
