using System.Text;
using System.Text.RegularExpressions;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// The patterns of a <c>.dockerignore</c> file, applied the way the Docker CLI applies them (moby's patternmatcher):
/// lines are trimmed, <c>#</c> lines and blank lines skipped, <c>!</c> marks an exception, patterns are cleaned like
/// Go's <c>filepath.Clean</c> and are relative to the context root (a leading <c>/</c> is dropped; unlike
/// <c>.gitignore</c> there is no implicit <c>**/</c>). <c>*</c> and <c>?</c> never cross <c>/</c>, <c>[...]</c> is a
/// class (negated by <c>^</c>), <c>\</c> escapes, <c>**</c> spans any number of directories including none. A pattern
/// matching a directory excludes everything below it; the last matching line decides.
/// </summary>
public sealed class DockerIgnore
{
    public const string FileName = ".dockerignore";

    private readonly IReadOnlyList<Rule> _rules;

    private DockerIgnore(IReadOnlyList<Rule> rules) => _rules = rules;

    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>True when at least one rule is an exception (<c>!pattern</c>).</summary>
    public bool HasExceptions => _rules.Any(r => r.IsException);

    /// <summary>Reads <c>.dockerignore</c> in the context directory; none means nothing is excluded.</summary>
    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : Empty;
    }

    /// <summary>Parses the text of a <c>.dockerignore</c> file; <paramref name="source"/> names it in errors.</summary>
    public static DockerIgnore Parse(string text, string source = FileName)
    {
        var rules = new List<Rule>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var isException = line.StartsWith('!');
            if (isException)
            {
                line = line[1..].Trim();
                if (line.Length == 0)
                {
                    throw new FormatException($"{source}:{lineNumber}: '!' must be followed by a pattern to re-include.");
                }
            }

            var pattern = Clean(line);
            rules.Add(new Rule(pattern, isException, ToRegex(pattern, source, lineNumber)));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>Whether a path relative to the context root (<c>/</c>-separated) stays out of the context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        var excluded = false;
        foreach (var rule in _rules)
        {
            // Only a rule that could flip the outcome needs checking.
            if (rule.IsException == excluded && rule.MatchesOrParentMatches(path))
            {
                excluded = !rule.IsException;
            }
        }

        return excluded;
    }

    /// <summary>
    /// Whether an excluded directory must still be walked because an exception could re-include something below it.
    /// Lets the context writer skip <c>.git</c>, <c>bin</c> or <c>node_modules</c> without reading them.
    /// </summary>
    public bool MayReincludeBelow(string relativeDirectory)
    {
        var directory = Clean(relativeDirectory) + "/";
        foreach (var rule in _rules.Where(r => r.IsException))
        {
            var literalPrefix = rule.LiteralPrefix;
            if (literalPrefix.StartsWith(directory, StringComparison.Ordinal) || directory.StartsWith(literalPrefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Go's <c>filepath.Clean</c> for relative slash paths, minus the leading <c>/</c> Docker drops.</summary>
    internal static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !path.StartsWith('/'))
            {
                parts.Add(part);
            }
        }

        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    private static Regex ToRegex(string pattern, string source, int lineNumber)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            switch (ch)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                    }

                    // A trailing "**" takes anything; "**/" in between takes any number of whole directories, even none.
                    regex.Append(i + 1 == pattern.Length ? ".*" : "(.*/)?");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"{source}:{lineNumber}: '{pattern}' has a '[' without its closing ']'. Escape it as '\\[' to match a literal bracket.");
                    }

                    var members = pattern[(i + 1)..end];
                    var negated = members.StartsWith('^');
                    regex.Append('[').Append(negated ? "^/" : string.Empty).Append(Regex.Escape(negated ? members[1..] : members)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    i++;
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(ch.ToString()));
                    break;
            }
        }

        try
        {
            return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}:{lineNumber}: '{pattern}' is not a valid pattern ({e.Message}).", e);
        }
    }

    private sealed record Rule(string Pattern, bool IsException, Regex Regex)
    {
        /// <summary>The part of the pattern before its first wildcard: every path it can match starts with it.</summary>
        public string LiteralPrefix { get; } = Pattern[..IndexOfWildcard(Pattern)];

        public bool MatchesOrParentMatches(string path)
        {
            if (Regex.IsMatch(path))
            {
                return true;
            }

            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                if (Regex.IsMatch(path[..slash]))
                {
                    return true;
                }
            }

            return false;
        }

        private static int IndexOfWildcard(string pattern)
        {
            var index = pattern.IndexOfAny(['*', '?', '[', '\\']);
            return index < 0 ? pattern.Length : index;
        }
    }
}
