using Spectre.Console;
using TypedBuild.Hosts;

namespace TypedBuild.Logging;

internal enum Verbosity
{
    Quiet,
    Minimal,
    Normal,
    Verbose,
}

internal enum LogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}

/// <summary>A warning or error kept for the recap printed before the summary.</summary>
internal sealed record LoggedProblem(LogLevel Level, string? Target, string Message);

/// <summary>
/// The build log: masks every line, renders it with Spectre.Console (timestamps locally, coloured levels unless
/// NO_COLOR or plain output), forwards warnings and errors to the CI host as annotations, and remembers them for
/// the "Errors &amp; warnings" recap.
/// </summary>
internal sealed class BuildLog(IAnsiConsole console, ISecretMasker masker, ICiHost host, Verbosity verbosity, bool timestamps) : IBuildLog
{
    private readonly List<LoggedProblem> _problems = [];
    private readonly Lock _lock = new();

    public IAnsiConsole Console { get; } = console;

    public ISecretMasker Masker { get; } = masker;

    public Verbosity Verbosity { get; } = verbosity;

    /// <summary>Name of the target whose log lines are being written, if any.</summary>
    public Func<string?> CurrentTarget { get; set; } = () => null;

    public IReadOnlyList<LoggedProblem> Problems
    {
        get
        {
            lock (_lock)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>
    /// Escape codes only where they are rendered: a terminal, or the log of a CI host that renders them (GitHub,
    /// GitLab and Concourse do) unless <c>--host</c> overrode the detection. Never with <c>NO_COLOR</c>. Spectre's own
    /// CI detection is off: it would turn colours on from the process environment whatever the host.
    /// </summary>
    public static IAnsiConsole CreateConsole(TextWriter writer, IReadOnlyDictionary<string, string?> environment, bool isTerminal, bool hostRendersAnsi = false)
    {
        var noColor = !string.IsNullOrEmpty(environment.GetValueOrDefault("NO_COLOR"));
        var colors = !noColor && (isTerminal || hostRendersAnsi);
        var settings = new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = colors ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colors ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        };
        settings.Enrichment.UseDefaultEnrichers = false;
        var console = AnsiConsole.Create(settings);
        if (!isTerminal)
        {
            // Plain output (files, CI logs) must not be wrapped at an imaginary 80 columns.
            console.Profile.Width = 240;
        }

        return console;
    }

    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Information(string message) => Write(LogLevel.Information, message);

    public void Warning(string message, string? file = null, int? line = null) => Write(LogLevel.Warning, message, file, line);

    public void Error(string message, string? file = null, int? line = null) => Write(LogLevel.Error, message, file, line);

    public void Write(LogLevel level, string message, string? file = null, int? line = null)
    {
        var masked = Masker.Mask(message);
        if (level >= LogLevel.Warning)
        {
            lock (_lock)
            {
                _problems.Add(new LoggedProblem(level, CurrentTarget(), masked));
            }

            host.Annotate(level == LogLevel.Error ? AnnotationLevel.Error : AnnotationLevel.Warning, masked, file, line);
        }

        if (!IsEnabled(level))
        {
            return;
        }

        var prefix = timestamps ? $"[grey]{DateTime.Now:HH:mm:ss}[/] " : string.Empty;
        var text = Markup.Escape(masked);
        foreach (var textLine in text.Split('\n'))
        {
            Console.MarkupLine($"{prefix}{Tag(level)} {Colour(level, textLine.TrimEnd('\r'))}");
        }
    }

    public bool IsEnabled(LogLevel level) => Verbosity switch
    {
        Verbosity.Quiet => level >= LogLevel.Error,
        Verbosity.Minimal => level >= LogLevel.Warning,
        Verbosity.Normal => level >= LogLevel.Information,
        _ => true,
    };

    /// <summary>Replays every warning and error, so they are not lost in a long log.</summary>
    public void WriteRecap()
    {
        var problems = Problems;
        if (problems.Count == 0 || Verbosity == Verbosity.Quiet)
        {
            return;
        }

        Console.WriteLine();
        Console.MarkupLine("[bold]Errors & warnings[/]");
        foreach (var problem in problems)
        {
            var where = problem.Target is null ? string.Empty : $"{problem.Target}: ";
            Console.MarkupLine($"{Tag(problem.Level)} {Colour(problem.Level, Markup.Escape(where + problem.Message))}");
        }
    }

    private static string Tag(LogLevel level) => level switch
    {
        LogLevel.Debug => "[grey]DBG[/]",
        LogLevel.Information => "[blue]INF[/]",
        LogLevel.Warning => "[yellow]WRN[/]",
        _ => "[red]ERR[/]",
    };

    private static string Colour(LogLevel level, string escaped) => level switch
    {
        LogLevel.Debug => $"[grey]{escaped}[/]",
        LogLevel.Warning => $"[yellow]{escaped}[/]",
        LogLevel.Error => $"[red]{escaped}[/]",
        _ => escaped,
    };
}
