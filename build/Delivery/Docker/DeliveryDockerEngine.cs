using System.Diagnostics;
using TypedBuild;
using TypedBuild.Provisioning;
using EngineRequirement = TypedBuild.Provisioning.Daemons.DockerEngine;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// The Docker engine of the delivery targets. Like the engine's own requirement it uses a running engine or starts
/// <c>dockerd</c> (root, Debian) for the build; but when the build ends in a local deployment
/// (<paramref name="keepRunning"/>), a <c>dockerd</c> it starts must outlive the build, or the deployed container
/// would stop with it: it is then started in its own session and left running.
/// </summary>
public sealed class DeliveryDockerEngine(Func<bool> keepRunning, EngineRequirement? engine = null) : IToolRequirement
{
    private readonly EngineRequirement _engine = engine ?? Tools.Docker;

    public string Name => _engine.Name;

    public Uri Endpoint => _engine.Endpoint;

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
        => _engine.CheckAsync(context, cancellationToken);

    public string? UnmetOn(DeclaredMachine machine) => _engine.UnmetOn(machine);

    public async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (!keepRunning() || await EngineRequirement.PingAsync(Endpoint, cancellationToken).ConfigureAwait(false))
        {
            return await _engine.EnsureAsync(context, cancellationToken).ConfigureAwait(false);
        }

        var check = await _engine.CheckAsync(context, cancellationToken).ConfigureAwait(false);
        if (check.State == RequirementState.Missing)
        {
            throw new InvalidOperationException($"{check.Detail} To fix: {check.InstallHint}.");
        }

        await new AptPackage("docker.io", "dockerd").EnsureAsync(context, cancellationToken).ConfigureAwait(false);
        var logFile = context.ToolsDirectory / "dockerd.log";
        Directory.CreateDirectory(logFile.Parent);
        var process = StartDetached(logFile);
        context.Log.Information($"Started dockerd (pid {process}, log {logFile}); it keeps running after the build so the local deployment stays up. Stop it with: kill {process}");

        var deadline = Stopwatch.StartNew();
        while (!await EngineRequirement.PingAsync(Endpoint, cancellationToken).ConfigureAwait(false))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"dockerd did not answer at {Endpoint} within 60 s; see {logFile}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>setsid puts dockerd in its own session, out of the build's process tree that is torn down at the end.</summary>
    private static int StartDetached(AbsolutePath logFile)
    {
        var startInfo = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "bash", "-c", "dockerd >>\"$0\" 2>&1 </dev/null & echo $!", logFile.Value })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var starter = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not run setsid to start dockerd.");
        starter.StandardInput.Close();
        var pid = starter.StandardOutput.ReadLine();
        starter.WaitForExit();
        return int.TryParse(pid, out var id) ? id : throw new InvalidOperationException($"Starting dockerd printed no process id ({pid}).");
    }
}
