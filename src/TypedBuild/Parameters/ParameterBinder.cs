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

    /// <summary>
    /// Binds every parameter that can be bound and returns the problems of the others (unknown file keys first), so
    /// that a bad value does not stop secrets and observers (Slack) from getting theirs.
    /// </summary>
    public IReadOnlyList<UsageException> Bind(BuildBase build, ParsedArguments arguments, ParameterFiles files)
    {
        var problems = new List<UsageException>();
        problems.AddRange(UnknownFileKeys(files));
        foreach (var parameter in parameters)
        {
            try
            {
                var value = Resolve(parameter, arguments, files);
                if (value.HasValue)
                {
                    parameter.SetValue(build, value.Value);
                }
            }
            catch (UsageException problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    private Optional Resolve(ParameterDescriptor parameter, ParsedArguments arguments, ParameterFiles files)
    {
        if (arguments.Get(parameter.Name) is { } cli)
        {
            return new(ParameterConverter.Convert(parameter, cli.Values, $"the command line ({cli.RawName})", root));
        }

        // An empty variable counts as unset (CI templates often export empties): the files and the default still apply.
        var variable = environment.FirstOrDefault(e => !string.IsNullOrWhiteSpace(e.Value) && NameMatching.AreEquivalent(e.Key, parameter.Name));
        if (variable.Key is not null)
        {
            var values = parameter.IsArray ? ParameterConverter.SplitList(variable.Value!) : [variable.Value!];
            return new(ParameterConverter.Convert(parameter, values, $"environment variable {variable.Key}", root));
        }

        if (files.Find(parameter.Name) is var (file, element))
        {
            var values = file.ValuesOf(parameter.Name, element, parameter.FileShape);
            return new(ParameterConverter.Convert(parameter, values, $"{file.DisplayPath} (key '{parameter.Name}')", root));
        }

        return default;
    }

    private IEnumerable<UsageException> UnknownFileKeys(ParameterFiles files)
    {
        var known = parameters.Select(p => p.Name).Concat(BuiltInFileKeys).ToList();
        foreach (var file in files.FilesByPrecedence)
        {
            var unknown = file.Values.Keys.FirstOrDefault(k => !known.Exists(n => NameMatching.AreEquivalent(n, k)));
            if (unknown is not null)
            {
                yield return new UsageException(
                    $"Unknown key '{unknown}' in {file.DisplayPath}.{NameMatching.DidYouMean(unknown, known)} " +
                    "Keys are parameter member names; run with --help to list them.");
            }

            foreach (var (key, value) in file.Values.Where(v => Array.Exists(BuiltInFileKeys, k => NameMatching.AreEquivalent(k, v.Key))))
            {
                UsageException? problem = null;
                try
                {
                    file.ValuesOf(key, value, ParameterShape.List);
                }
                catch (UsageException exception)
                {
                    problem = exception;
                }

                if (problem is not null)
                {
                    yield return problem;
                }
            }
        }
    }

    private readonly record struct Optional(object? Value)
    {
        public bool HasValue { get; } = true;
    }
}
