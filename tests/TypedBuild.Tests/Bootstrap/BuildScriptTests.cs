using System.Globalization;
using System.Text.RegularExpressions;

namespace TypedBuild.Tests.Bootstrap;

/// <summary>End to end: <c>build.sh</c> compiling and running a sample build in a temporary repository.</summary>
public sealed partial class BuildScriptTests(SampleRepository sample) : IClassFixture<SampleRepository>
{
    private const string CompilingLine = "Compiling the build";

    [Fact]
    public void The_first_run_compiles_the_build_and_runs_the_default_target()
    {
        Assert.True(sample.FirstRun.ExitCode == 0, sample.FirstRun.Output);
        Assert.Contains(CompilingLine, sample.FirstRun.Output);
        Assert.Contains("hello sample", sample.FirstRun.Output);
        Assert.True(File.Exists(Path.Combine(sample.Root, ".nuke", "build.schema.json")));
    }

    [Fact]
    public void A_run_with_unchanged_sources_does_not_compile_and_passes_arguments_through()
    {
        var run = sample.Run("Hello", "--name", "World");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain(CompilingLine, run.Output);
        Assert.Contains("hello World", run.Output);
        Assert.Matches(@"Build succeeded in \d+:\d\d$", run.Output.TrimEnd());
        Assert.DoesNotContain('\u001b', run.Output);
    }

    [Fact]
    public void A_changed_source_is_compiled_before_the_run()
    {
        sample.WriteStamp("v2");

        var changed = sample.Run("Stamp");
        var unchanged = sample.Run("Stamp");

        Assert.True(changed.ExitCode == 0, changed.Output);
        Assert.Contains(CompilingLine, changed.Output);
        Assert.Contains("stamp v2", changed.Output);
        Assert.DoesNotContain(CompilingLine, unchanged.Output);
    }

    [Fact]
    public void A_failing_target_exits_with_1()
    {
        var run = sample.Run("Fail");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("this target fails", run.Output);
        Assert.Matches(@"Build failed in \d+:\d\d$", run.Output.TrimEnd());
    }

    [Fact]
    public void An_unknown_target_exits_with_2_naming_the_closest()
    {
        var run = sample.Run("Helo");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown target 'Helo'. Did you mean 'Hello'?", run.Output);
    }

    [Fact]
    public void Help_and_plan_run_nothing()
    {
        Assert.Contains("Greets", sample.Run("--help").Output);
        var plan = sample.Run("Hello", "--plan");
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("1. Hello", plan.Output);
        Assert.DoesNotContain("hello sample", plan.Output);
    }

    [Fact]
    public async Task Sigterm_cancels_the_build_kills_the_child_process_and_exits_with_130()
    {
        var childPid = 0;
        var run = await sample.RunAsync(["Sleep"], async (process, output) =>
        {
            childPid = await WaitForChildPidAsync(output);
            _ = Kill(process.Id, SigTerm);
        });

        Assert.Equal(130, run.ExitCode);
        Assert.Matches(@"Sleep\s+│ Cancelled", run.Output);
        Assert.False(IsRunning(childPid), $"child process {childPid} (sleep) survived the cancelled build");
    }

    private const int SigTerm = 15;

    private static async Task<int> WaitForChildPidAsync(System.Text.StringBuilder output)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            if (ChildPid().Match(text) is { Success: true } match)
            {
                return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The Sleep target never started its child process.");
    }

    /// <summary>Alive and not a zombie (an orphan may wait for a reaper that a container does not have).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"child-pid (\d+)")]
    private static partial Regex ChildPid();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

/// <summary><c>build.sh</c> without a matching SDK: it compiles nothing and says how to install one.</summary>
public sealed class BuildScriptSdkTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "typedbuild-nosdk-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_missing_sdk_exits_with_2_and_prints_the_install_commands()
    {
        Directory.CreateDirectory(Path.Combine(_root, "build"));
        File.Copy(Path.Combine(SampleRepository.RepositoryRoot, "build.sh"), Path.Combine(_root, "build.sh"));
        await File.WriteAllTextAsync(Path.Combine(_root, "global.json"), """{ "sdk": { "version": "99.0.100", "rollForward": "latestFeature" } }""");
        var startInfo = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(_root, "build.sh"), "--help"]) { RedirectStandardError = true, RedirectStandardOutput = true };

        using var process = System.Diagnostics.Process.Start(startInfo)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("no .NET SDK matching global.json (version 99.0.100, rollForward latestFeature)", error);
        Assert.Contains("dotnet-install.sh | bash -s -- --version 99.0.100 --install-dir", error);
        Assert.Contains("apt-get install dotnet-sdk-99.0", error);
        Assert.DoesNotContain("Compiling", error);
    }
}
