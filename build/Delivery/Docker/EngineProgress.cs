using Docker.DotNet.Models;
using TypedBuild;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// Progress of an engine call that streams JSON messages (pull, import): status lines go to the debug log, the
/// first error is kept, because the engine reports a failed pull in the stream rather than as an HTTP error.
/// </summary>
internal sealed class EngineProgress(IBuildLog log) : IProgress<JSONMessage>
{
    public string? Error { get; private set; }

    public void Report(JSONMessage value)
    {
        if (value.Error?.Message is { Length: > 0 } error)
        {
            Error ??= error.Trim();
        }
        else if (value.Progress is null && value.Status is { Length: > 0 } status)
        {
            log.Debug(value.ID is { Length: > 0 } id ? $"{id}: {status}" : status);
        }
    }
}
