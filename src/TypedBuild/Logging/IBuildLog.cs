namespace TypedBuild;

/// <summary>
/// The build's log. Everything written here is secret-masked, tagged with the running target and, on CI hosts,
/// warnings and errors become annotations. Classes used by targets take an <see cref="IBuildLog"/> in their constructor.
/// </summary>
public interface IBuildLog
{
    void Debug(string message);

    void Information(string message);

    void Warning(string message, string? file = null, int? line = null);

    void Error(string message, string? file = null, int? line = null);
}
