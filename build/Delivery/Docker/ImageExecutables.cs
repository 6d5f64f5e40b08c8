using Docker.DotNet;
using Docker.DotNet.Models;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// Which executables an image lacks, asked of the image itself: one throwaway container, without network, looks for
/// each name as a file on its <c>PATH</c>. A shell's <c>command -v</c> would not do: it also finds builtins, and
/// <c>kill</c> is one in every shell while the jobs need the program.
/// </summary>
public sealed class ImageExecutables(IDockerClient docker)
{
    private const string Script = """IFS=:; for name; do found=; for dir in $PATH; do if [ -f "$dir/$name" ] && [ -x "$dir/$name" ]; then found=1; fi; done; [ -n "$found" ] || echo "$name"; done""";

    public async Task<IReadOnlyList<string>> MissingAsync(string image, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var wanted = names.Order(StringComparer.Ordinal).ToList();
        var created = await docker.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = image,
                Entrypoint = ["/bin/sh", "-c", Script, "sh", .. wanted],
                HostConfig = new HostConfig { NetworkMode = "none" },
            },
            cancellationToken).ConfigureAwait(false);
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
            var exit = await docker.Containers.WaitContainerAsync(created.ID, cancellationToken).ConfigureAwait(false);
            var output = new List<string>();
            await docker.Containers.GetContainerLogsAsync(
                created.ID,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true },
                new SynchronousProgress<string>(output.Add),
                cancellationToken).ConfigureAwait(false);
            var lines = output.Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
            if (exit.StatusCode != 0 || lines.Except(wanted, StringComparer.Ordinal).Any())
            {
                throw new InvalidOperationException(
                    $"Could not look for executables in {image}: /bin/sh exited with code {exit.StatusCode}: {string.Join(' ', lines)}. The image needs a POSIX shell at /bin/sh.");
            }

            return lines;
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
