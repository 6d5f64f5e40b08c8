using System.Text;
using TypedBuild.Execution;
using TypedBuild.Hosts;

namespace TypedBuild.Tests.Support;

/// <summary>
/// The outcome of an in-process build run: <paramref name="Output"/> holds both streams as they were written,
/// <paramref name="StandardOutput"/> the results and <paramref name="StandardError"/> the diagnostics.
/// </summary>
internal sealed record RunOutcome<TBuild>(int ExitCode, string Output, TBuild Build, RecordingHost Host, string StandardOutput, string StandardError);

/// <summary>
/// Runs builds in-process against a throwaway root directory (with a <c>.nuke</c> folder), an injected
/// environment and a captured output, the way <c>BuildBase.Execute</c> runs them for real.
/// </summary>
internal sealed class BuildHarness : IDisposable
{
    public BuildHarness()
    {
        Root = AbsolutePath.Create(Path.Combine(Path.GetTempPath(), "typedbuild-tests", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(Root / ".nuke");
    }

    public AbsolutePath Root { get; }

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public CiHostKind HostKind { get; set; } = CiHostKind.Local;

    /// <summary>The machine every cache key names; a fixed one, so a test can change it.</summary>
    public string CachePlatform { get; set; } = "debian 12 linux-x64 root";

    public string[] DefaultTargets { get; set; } = [];

    /// <summary>Use the engine's own host detection (from <see cref="Environment"/>) instead of a recording host.</summary>
    public bool DetectHost { get; set; }

    public void WriteParameters(string fileName, string json) => File.WriteAllText(Root / ".nuke" / fileName, json);

    public RunOutcome<TBuild> Run<TBuild>(params string[] args)
        where TBuild : BuildBase, new()
        => RunAsync<TBuild>(args, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<RunOutcome<TBuild>> RunAsync<TBuild>(string[] args, CancellationToken cancellationToken, bool wrapConsole = false)
        where TBuild : BuildBase, new()
    {
        var combined = new StringBuilder();
        var output = new CapturingWriter(combined);
        var error = new CapturingWriter(combined);
        var host = new RecordingHost(HostKind);
        TBuild? build = null;
        var runner = new BuildRunner(
            () => build = new TBuild(),
            DefaultTargets,
            new RunnerOptions
            {
                Environment = Environment,
                Output = output,
                Error = error,
                WorkingDirectory = Root,
                HostFactory = DetectHost ? null : (_, _, _) => host,
                CancellationToken = cancellationToken,
                WrapConsole = wrapConsole,
                CachePlatform = CachePlatform,
            });
        var exitCode = await runner.RunAsync(args);
        lock (combined)
        {
            return new RunOutcome<TBuild>(exitCode, combined.ToString(), build!, host, output.ToString(), error.ToString());
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}

/// <summary>Keeps what is written to it and appends it to a transcript shared with the other stream.</summary>
internal sealed class CapturingWriter(StringBuilder transcript) : StringWriter
{
    public override void Write(char value)
    {
        base.Write(value);
        lock (transcript)
        {
            transcript.Append(value);
        }
    }

    public override void Write(string? value)
    {
        base.Write(value);
        lock (transcript)
        {
            transcript.Append(value);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
}
