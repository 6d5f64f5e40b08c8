using TypedBuild.Processes;

namespace ExampleService.Build.Delivery.Helm;

/// <summary>Runs the <c>helm</c> binary through the build's process runner (masked, cancellable output).</summary>
public sealed class HelmCli(string executable, IProcessRunner processes, string? kubeconfig = null)
{
    public string Executable { get; } = executable;

    public async Task<HelmVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(HelmCommandBuilder.VersionQuery(), logOutput: false, cancellationToken).ConfigureAwait(false);
        return HelmVersion.Parse(result.StandardOutput);
    }

    /// <summary>The release's history; empty when the release does not exist yet.</summary>
    public async Task<ReleaseHistory> GetHistoryAsync(HelmCommandBuilder commands, HelmRelease release, CancellationToken cancellationToken)
    {
        var result = await processes.RunAsync(
            Executable,
            commands.History(release),
            Options(logOutput: false) with { AllowNonZeroExitCode = true },
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return ReleaseHistory.Parse(result.StandardOutput);
        }

        if (result.StandardError.Contains("release: not found", StringComparison.Ordinal))
        {
            return ReleaseHistory.Empty;
        }

        throw new InvalidOperationException(
            $"'helm history {release.Name}' failed in namespace {release.Namespace} (kube context {release.KubeContext}): {result.StandardError.Trim()}");
    }

    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, bool logOutput, CancellationToken cancellationToken) =>
        processes.RunAsync(Executable, arguments, Options(logOutput), cancellationToken);

    private ProcessOptions Options(bool logOutput) => new()
    {
        LogOutput = logOutput,
        Environment = kubeconfig is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig },
    };
}
