namespace TypedBuild.Caching;

/// <summary>One declared input, in declaration order: the explanation of a miss names the first one that differs.</summary>
internal interface IInputDeclaration;

internal sealed record FileInputs(IReadOnlyList<string> Globs) : IInputDeclaration;

internal sealed record ValueInput(string Name, Func<object?> Read) : IInputDeclaration;

internal sealed record EnvironmentInput(string Variable) : IInputDeclaration;

/// <summary>A tool's version; <paramref name="Executable"/> is read when the key is computed (a provisioned tool's path is known only then).</summary>
internal sealed record ToolInput(string ExecutableName, Func<string> Executable, IReadOnlyList<string> Arguments) : IInputDeclaration
{
    public string Name => string.Join(' ', [ExecutableName, .. Arguments]);
}

/// <summary>Something a target produces outside the repository, and how a restore brings it back (false: it is gone).</summary>
internal sealed record OutsideOutput(string What, Func<CancellationToken, Task<bool>> Restore);

/// <summary>What a target declared for the cache: inputs, outputs stored, kept in place or outside, and what to do on a restore.</summary>
internal sealed class CacheDeclaration
{
    public List<IInputDeclaration> Inputs { get; } = [];

    public List<string> Outputs { get; } = [];

    public List<string> OutputsKeptInPlace { get; } = [];

    public List<OutsideOutput> OutputsOutside { get; } = [];

    public List<Action> Restored { get; } = [];

    public List<Definition.TargetCondition> Conditions { get; } = [];

    /// <summary>A target is cacheable once it declares an input: without any, every run would share one key.</summary>
    public bool IsCacheable => Inputs.Count > 0;

    public void AddFiles(string[] globs)
    {
        Inputs.Add(new FileInputs(Checked(globs, "InputFiles")));
    }

    public void AddValue(Func<object?> read, string name) => Inputs.Add(new ValueInput(name, read));

    public void AddEnvironment(string[] variables)
        => Inputs.AddRange(Checked(variables, "InputEnvironment").Select(v => new EnvironmentInput(v)));

    public void AddTool(string executable, string[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        Inputs.Add(new ToolInput(executable, () => executable, arguments));
    }

    public void AddTool(Func<string> executable, string name, string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(executable);
        ArgumentNullException.ThrowIfNull(arguments);
        Inputs.Add(new ToolInput(name, executable, arguments));
    }

    public void AddOutputs(string[] globs, bool keptInPlace)
        => (keptInPlace ? OutputsKeptInPlace : Outputs).AddRange(Checked(globs, keptInPlace ? "OutputsKeptInPlace" : "Outputs"));

    private static string[] Checked(string[] values, string call)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0 || Array.Exists(values, string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"{call} needs at least one non-empty value, e.g. {call}(\"src/**/*.cs\").", nameof(values));
        }

        if (Array.Exists(values, v => Path.IsPathRooted(v.TrimStart('!'))))
        {
            throw new ArgumentException($"{call} takes paths relative to the repository root, got '{Array.Find(values, v => Path.IsPathRooted(v.TrimStart('!')))}'.", nameof(values));
        }

        return values;
    }
}
