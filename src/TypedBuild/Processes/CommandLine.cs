namespace TypedBuild.Processes;

/// <summary>Renders a command the way a POSIX shell user would type it, for logs and error messages.</summary>
internal static class CommandLine
{
    public static string Format(string executable, IEnumerable<string> arguments)
        => string.Join(' ', arguments.Prepend(executable).Select(Quote));

    private static string Quote(string argument)
        => argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,@%+".Contains(c))
            ? argument
            : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
