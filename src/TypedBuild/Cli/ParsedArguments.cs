using TypedBuild.Planning;

namespace TypedBuild.Cli;

/// <summary>A named argument as typed (<c>--sonar-host-url</c>) with the values that followed it.</summary>
internal sealed record NamedArgument(string RawName, List<string> Values);

/// <summary>
/// The command line, parsed leniently like NUKE: names ignore case and dashes, a value list runs until the next
/// <c>-</c> token, the last occurrence of a name wins, and tokens before the first name are targets. A name for which
/// <c>takesAnyValue</c> holds (a secret) takes the next token as its value even when it starts with <c>-</c>, so a
/// secret such as <c>-Xabc</c> is never mistaken for an option and echoed in an error.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, NamedArgument> _named = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public IEnumerable<NamedArgument> Named => _named.Values;

    public static ParsedArguments Parse(IEnumerable<string> args, Func<string, bool>? takesAnyValue = null)
    {
        var parsed = new ParsedArguments();
        NamedArgument? current = null;
        foreach (var arg in args)
        {
            var isValueOfCurrent = current is { Values.Count: 0 } && takesAnyValue?.Invoke(current.RawName) == true;
            if (IsName(arg) && !isValueOfCurrent)
            {
                var (name, inlineValue) = SplitInlineValue(arg);
                current = new NamedArgument(name, []);
                if (inlineValue is not null)
                {
                    current.Values.Add(inlineValue);
                }

                parsed._named[NameMatching.Normalize(name)] = current;
            }
            else if (current is null)
            {
                parsed.Positional.Add(arg);
            }
            else
            {
                current.Values.Add(arg);
            }
        }

        return parsed;
    }

    public bool Has(string name) => _named.ContainsKey(NameMatching.Normalize(name));

    public NamedArgument? Get(string name) => _named.GetValueOrDefault(NameMatching.Normalize(name));

    public void Remove(string name) => _named.Remove(NameMatching.Normalize(name));

    /// <summary>A name is a token starting with dashes and a letter, so negative numbers stay values.</summary>
    private static bool IsName(string arg)
    {
        var trimmed = arg.TrimStart('-');
        return arg.StartsWith('-') && trimmed.Length > 0 && char.IsLetter(trimmed[0]);
    }

    private static (string Name, string? Value) SplitInlineValue(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }
}
