namespace TypedBuild.Processes;

/// <summary>How to run a child process.</summary>
public sealed record ProcessOptions
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Stream stdout and stderr into the build log (masked). When false, output is only captured.</summary>
    public bool LogOutput { get; init; } = true;

    /// <summary>When false (default) a non-zero exit code throws <see cref="ProcessFailedException"/>.</summary>
    public bool AllowNonZeroExitCode { get; init; }

    public TimeSpan? Timeout { get; init; }

    public string? StandardInput { get; init; }

    /// <summary>How many trailing output lines a failure message carries.</summary>
    public int FailureTailLines { get; init; } = 25;
}
