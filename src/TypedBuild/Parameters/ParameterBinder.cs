using TypedBuild.Cli;
using TypedBuild.Planning;

namespace TypedBuild.Parameters;

/// <summary>
/// Fills parameters from their sources, highest precedence first: command line, environment variable,
/// <c>parameters.&lt;profile&gt;.json</c>, <c>parameters.json</c>; otherwise the member initializer stays.
/// </summary>
internal sealed class ParameterBinder(
    IReadOnlyList<ParameterDescriptor> parameters,
    IReadOnlyDictionary<string, string?> environment,
    AbsolutePath root)
{
    /// <summary>Keys a parameters file may hold besides parameters (they mirror built-in options).</summary>
    public static readonly string[] BuiltInFileKeys = ["Target", "Skip"];

    public void Bind(BuildBase build, ParsedArguments arguments, ParameterFiles files)
    {
        ThrowOnUnknownFileKeys(files);
        foreach (var parameter in parameters)
        {
            var value = Resolve(parameter, arguments, files);
            if (value.HasValue)
            {
                parameter.SetValue(build, value.Value);
            }
        }
    }

    private Optional Resolve(ParameterDescriptor parameter, ParsedArguments arguments, ParameterFiles files)
    {
        if (arguments.Get(parameter.Name) is { } cli)
        {
            return new(ParameterConverter.Convert(parameter, cli.Values, $"the command line ({cli.RawName})", root));
        }

        var variable = environment.FirstOrDefault(e => NameMatching.AreEquivalent(e.Key, parameter.Name));
        if (variable.Key is not null && variable.Value is not null)
        {
            var source = $"environment variable {variable.Key}";
            if (variable.Value.Length == 0)
            {
                // An empty variable means "off" for a switch and "not set" for everything else (CI templates often export empties).
                return parameter.IsBoolean ? new(false) : default;
            }

            var values = parameter.IsArray ? ParameterConverter.SplitList(variable.Value) : [variable.Value];
            return new(ParameterConverter.Convert(parameter, values, source, root));
        }

        if (files.Find(parameter.Name) is var (file, element))
        {
            var values = ParameterFile.ToStrings(element, splitText: parameter.IsArray);
            return values is null
                ? new(null)
                : new(ParameterConverter.Convert(parameter, values, $"{file.DisplayPath} (key '{parameter.Name}')", root));
        }

        return default;
    }

    private void ThrowOnUnknownFileKeys(ParameterFiles files)
    {
        var known = parameters.Select(p => p.Name).Concat(BuiltInFileKeys).ToList();
        foreach (var file in files.FilesByPrecedence)
        {
            var unknown = file.Values.Keys.FirstOrDefault(k => !known.Exists(n => NameMatching.AreEquivalent(n, k)));
            if (unknown is not null)
            {
                throw new UsageException(
                    $"Unknown key '{unknown}' in {file.DisplayPath}.{NameMatching.DidYouMean(unknown, known)} " +
                    "Keys are parameter member names; run with --help to list them.");
            }
        }
    }

    private readonly record struct Optional(object? Value)
    {
        public bool HasValue { get; } = true;
    }
}
