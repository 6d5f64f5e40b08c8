using TypedBuild;

namespace Build.Tests.Delivery.Docker;

/// <summary>Keeps what the code under test logged.</summary>
public sealed class RecordingLog : IBuildLog
{
    public List<string> Lines { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Errors { get; } = [];

    public void Debug(string message) => Lines.Add(message);

    public void Information(string message) => Lines.Add(message);

    public void Warning(string message, string? file = null, int? line = null) => Warnings.Add(message);

    public void Error(string message, string? file = null, int? line = null) => Errors.Add(message);
}
