using StbImageSharp;
using TypedBuild.Execution;
using TypedBuild.Processes;
using TypedBuild.Provisioning;
using TypedBuild.Tests.Notifications;
using TypedBuild.Tests.Processes;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

/// <summary>
/// What <c>artifacts/build-report.html</c> shows, read from a screenshot a headless Chromium takes of it: each target's
/// bar in its status's colour, in plan order, placed and sized on the time axis as the target ran.
/// </summary>
public sealed class BuildReportScreenshotTests : IDisposable
{
    private static readonly Rgb Succeeded = new(0x2e, 0x9d, 0x48);
    private static readonly Rgb Cached = new(0x3b, 0x7d, 0xd8);
    private static readonly Rgb Failed = new(0xdd, 0x33, 0x33);
    private static readonly Rgb Text = new(0x22, 0x22, 0x22);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("build-report-");

    public void Dispose() => _folder.Delete(recursive: true);

    [BrowserFact]
    public async Task The_timeline_shows_each_target_in_its_status_colour_where_and_as_long_as_it_ran()
    {
        // 50 s in all: Compile 0-20 s, then Test (restored, 5 s) beside Lint (failed after 30 s); Deploy did not run.
        var result = new BuildResult(
            [
                Target("Compile", TargetStatus.Succeeded, start: 0, seconds: 20),
                Target("Test", TargetStatus.Cached, start: 20, seconds: 5),
                Target("Lint", TargetStatus.Failed, start: 20, seconds: 30),
                Target("Deploy", TargetStatus.NotRun, start: 0, seconds: 0),
            ],
            ["Deploy"],
            null,
            TimeSpan.FromSeconds(50),
            ExitCodes.TargetFailed,
            new FakeHost());

        var screenshot = await ScreenshotAsync(BuildReport.ToHtml(result));

        var compile = screenshot.Bounds(Succeeded);
        var test = screenshot.Bounds(Cached);
        var lint = screenshot.Bounds(Failed);
        Assert.True(screenshot.Bounds(Text).Top < compile.Top, "the headline is above the timeline");
        Assert.True(compile.Bottom < test.Top && test.Bottom < lint.Top, $"rows in plan order: Compile {compile}, Test {test}, Lint {lint}");

        // The time axis runs from Compile's left edge (0 s) to Lint's right edge (50 s).
        var axis = (Left: compile.Left, Width: lint.Right - compile.Left);
        double At(int x) => (double)(x - axis.Left) / axis.Width;
        Assert.InRange(At(compile.Right), 0.38, 0.42);
        Assert.InRange(At(test.Left), 0.38, 0.42);
        Assert.InRange(At(test.Right), 0.48, 0.52);
        Assert.InRange(At(lint.Left), 0.38, 0.42);
        Assert.True(axis.Width > 300, $"the time axis is {axis.Width} px wide");
    }

    private static TargetResult Target(string name, TargetStatus status, double start, double seconds)
        => new(name, status, TimeSpan.FromSeconds(seconds), status == TargetStatus.NotRun ? "dependency Lint did not succeed" : null, status == TargetStatus.Failed ? "1 lint problem" : null, [], status == TargetStatus.Cached ? new string('a', 64) : null, TimeSpan.FromSeconds(start));

    private async Task<Screenshot> ScreenshotAsync(string html)
    {
        var page = Path.Combine(_folder.FullName, BuildReport.FileName);
        var png = Path.Combine(_folder.FullName, "report.png");
        await File.WriteAllTextAsync(page, html);
        var browser = HeadlessBrowser.Find() ?? throw new InvalidOperationException($"No headless browser on PATH ({string.Join(", ", HeadlessBrowser.Executables)}).");

        // No sandbox: it needs user namespaces, which containers and root lack, and the page is our own file.
        var run = await new ProcessRunner(new RecordingLog(), new FakeSecretMasker()).RunAsync(
            browser,
            ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,500", $"--screenshot={png}", new Uri(page).AbsoluteUri],
            new ProcessOptions { AllowNonZeroExitCode = true, LogOutput = false, Timeout = TimeSpan.FromMinutes(1) });
        Assert.True(File.Exists(png), $"{browser} wrote no screenshot (exit code {run.ExitCode})");
        return new Screenshot(ImageResult.FromMemory(await File.ReadAllBytesAsync(png), ColorComponents.RedGreenBlue));
    }

    private readonly record struct Rgb(byte R, byte G, byte B);

    private readonly record struct Box(int Left, int Top, int Right, int Bottom);

    private sealed class Screenshot(ImageResult image)
    {
        /// <summary>The smallest box around every pixel of exactly <paramref name="colour"/> (bars are solid fills).</summary>
        public Box Bounds(Rgb colour)
        {
            var (left, top, right, bottom) = (int.MaxValue, int.MaxValue, -1, -1);
            for (var y = 0; y < image.Height; y++)
            {
                for (var x = 0; x < image.Width; x++)
                {
                    var i = ((y * image.Width) + x) * 3;
                    if (image.Data[i] == colour.R && image.Data[i + 1] == colour.G && image.Data[i + 2] == colour.B)
                    {
                        (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                    }
                }
            }

            Assert.True(right >= 0, $"the screenshot shows no pixel of colour {colour}");
            return new Box(left, top, right, bottom);
        }
    }
}
