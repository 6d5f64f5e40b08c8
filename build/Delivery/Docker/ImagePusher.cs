using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using TypedBuild;
using TypedBuild.Registries;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>Pushes every tag of a built image, retrying transient failures, and returns the manifest digest.</summary>
public sealed partial class ImagePusher(IDockerClient docker, IBuildLog log, RetryPolicy retryPolicy)
{
    /// <summary>Pushes <c>repository:tag</c> for each tag; all tags must end up on the same digest.</summary>
    public async Task<string> PushAsync(string repository, IReadOnlyList<string> tags, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        var auth = DockerConnection.AuthFor(repository, credentials);
        string? digest = null;
        foreach (var tag in tags)
        {
            var pushed = await retryPolicy.ExecuteAsync(
                $"Push of {repository}:{tag}",
                ct => PushOnceAsync(repository, tag, auth, ct),
                log,
                cancellationToken).ConfigureAwait(false);

            if (digest is not null && pushed != digest)
            {
                throw new InvalidOperationException($"Tag {tag} was pushed as {pushed}, but the other tags as {digest}: the image changed during the push.");
            }

            digest = pushed;
        }

        return digest ?? throw new ArgumentException("At least one tag is needed to push an image.", nameof(tags));
    }

    private async Task<string> PushOnceAsync(string repository, string tag, AuthConfig auth, CancellationToken cancellationToken)
    {
        var output = new PushOutput(log);
        await docker.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, auth, new SynchronousProgress<JSONMessage>(output.Report), cancellationToken).ConfigureAwait(false);
        if (output.Error is not null)
        {
            throw new RegistryPushException($"Push of {repository}:{tag} failed: {output.Error}");
        }

        return output.Digest ?? throw new RegistryPushException($"Push of {repository}:{tag} reported no digest; the engine's output did not contain 'digest: sha256:...'.");
    }

    /// <summary>Reads the digest from the push progress (<c>aux.Digest</c> or the "tag: digest: sha256:… size: N" line).</summary>
    internal sealed class PushOutput(IBuildLog log)
    {
        private readonly HashSet<string> _seenLayers = [];

        public string? Digest { get; private set; }

        public string? Error { get; private set; }

        public void Report(JSONMessage message)
        {
            if (message.Error?.Message is { Length: > 0 } error)
            {
                Error ??= error.Trim();
                return;
            }

            if (message.Aux?.ExtensionData is { } aux && aux.TryGetValue("Digest", out var auxDigest) && auxDigest?.ToString() is { } value && DigestPattern().IsMatch(value))
            {
                Digest = DigestPattern().Match(value).Value;
            }

            var status = message.Status ?? string.Empty;
            if (DigestPattern().Match(status) is { Success: true } match && status.Contains("digest:", StringComparison.Ordinal))
            {
                Digest = match.Value;
                log.Information(status);
            }
            else if (message.ID is { Length: > 0 } layer && message.Progress is null && _seenLayers.Add($"{layer} {status}"))
            {
                // One line per layer and state ("Pushed", "Layer already exists"), not one per progress tick.
                log.Debug($"{layer}: {status}");
            }
            else if (message.ID is null && status.Length > 0)
            {
                log.Information(status);
            }
        }
    }

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex DigestPattern();
}

/// <summary>The registry or engine refused a push; the message is the engine's own.</summary>
public sealed class RegistryPushException(string message) : Exception(message);
