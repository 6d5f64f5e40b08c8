using TypedBuild.Hosts;
using TypedBuild.Processes;

namespace TypedBuild.Execution;

/// <summary>Everything a build run takes from its process, injectable so that tests run builds in-process.</summary>
internal sealed record RunnerOptions
{
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    /// <summary>Results: <c>--help</c>, <c>--plan</c> (text or JSON).</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Diagnostics: the build log, CI host commands, the summary, errors.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Where the root search starts when <c>--root</c> is not given.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Whether <see cref="Error"/>, where the log goes, is a terminal.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Masks <see cref="Console.Out"/> and <see cref="Console.Error"/> for the duration of the build.</summary>
    public bool WrapConsole { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public Func<IReadOnlyDictionary<string, string?>, AbsolutePath, string?, ICiHost>? HostFactory { get; init; }

    public Func<IBuildLog, ISecretMasker, IProcessRunner>? ProcessRunnerFactory { get; init; }

    /// <summary>Size bound of the local cache store; beyond it the least recently used entries go.</summary>
    public long CacheMaxBytes { get; init; } = Caching.LocalCacheStore.DefaultMaxBytes;

    /// <summary>What every cache key holds about the machine (<see cref="Caching.CachePlatform.Current"/> for a real build).</summary>
    public string CachePlatform { get; init; } = Caching.CachePlatform.Current;

    /// <summary>How many targets run at once without <c>--parallel</c>: the number of cores for a real build.</summary>
    public int DefaultParallelism { get; init; } = 1;

    public static RunnerOptions FromProcess(CancellationToken cancellationToken) => new()
    {
        Environment = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal),
        Output = Console.Out,
        Error = Console.Error,
        WorkingDirectory = Directory.GetCurrentDirectory(),
        IsTerminal = !Console.IsErrorRedirected,
        WrapConsole = true,
        CancellationToken = cancellationToken,
        DefaultParallelism = System.Environment.ProcessorCount,
    };
}
