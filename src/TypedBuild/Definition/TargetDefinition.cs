using System.Linq.Expressions;
using TypedBuild.Provisioning;

namespace TypedBuild.Definition;

/// <summary>A condition with the source text it was written as (the skip reason).</summary>
internal sealed record TargetCondition(Func<bool> Evaluate, string Text)
{
    /// <summary>The condition as written, without the lambda's <c>() =&gt;</c>: "OnlyWhen: IsServerBuild".</summary>
    public static TargetCondition Create(Func<bool> evaluate, string? expression)
    {
        var text = expression?.Trim() ?? "condition";
        var arrow = text.IndexOf("=>", StringComparison.Ordinal);
        if (text.StartsWith('(') && arrow > 0 && text[..arrow].TrimEnd().EndsWith(')'))
        {
            text = text[(arrow + 2)..].Trim();
        }

        return new TargetCondition(evaluate, text);
    }
}

/// <summary>Records every call of a target's fluent definition; <see cref="ExecutableTarget"/> reads it afterwards.</summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }

    public List<Target> DependsOnTargets { get; } = [];

    public List<Target> DependentForTargets { get; } = [];

    public List<Target> AfterTargets { get; } = [];

    public List<Target> BeforeTargets { get; } = [];

    public List<Target> TriggersTargets { get; } = [];

    public List<Target> TriggeredByTargets { get; } = [];

    public List<TargetCondition> StaticConditions { get; } = [];

    public List<TargetCondition> DynamicConditions { get; } = [];

    public List<LambdaExpression> ParameterRequirements { get; } = [];

    public List<IToolRequirement> ToolRequirements { get; } = [];

    public List<Func<CancellationToken, Task>> Actions { get; } = [];

    public List<BuildResource> Resources { get; } = [];

    public Caching.CacheDeclaration Cache { get; } = new();

    public bool IsProceedAfterFailure { get; private set; }

    public bool IsAssuredAfterFailure { get; private set; }

    public bool IsUnlisted { get; private set; }

    public ITargetDefinition Description(string description)
    {
        DescriptionText = description;
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets) => Add(DependsOnTargets, targets);

    public ITargetDefinition DependentFor(params Target[] targets) => Add(DependentForTargets, targets);

    public ITargetDefinition After(params Target[] targets) => Add(AfterTargets, targets);

    public ITargetDefinition Before(params Target[] targets) => Add(BeforeTargets, targets);

    public ITargetDefinition Triggers(params Target[] targets) => Add(TriggersTargets, targets);

    public ITargetDefinition TriggeredBy(params Target[] targets) => Add(TriggeredByTargets, targets);

    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        StaticConditions.Add(TargetCondition.Create(condition, reason));
        return this;
    }

    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        DynamicConditions.Add(TargetCondition.Create(condition, reason));
        return this;
    }

    public ITargetDefinition Requires<T>(Expression<Func<T>> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ParameterRequirements.Add(parameter);
        return this;
    }

    public ITargetDefinition Requires(params IToolRequirement[] tools)
    {
        ToolRequirements.AddRange(tools);
        return this;
    }

    public ITargetDefinition NeedsAlone(params BuildResource[] resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (Array.Exists(resources, r => r is null))
        {
            throw new ArgumentException("NeedsAlone was given a null resource; declare each BuildResource once, before the targets that use it.", nameof(resources));
        }

        Resources.AddRange(resources);
        return this;
    }

    public ITargetDefinition InputFiles(params string[] globs) => Declare(() => Cache.AddFiles(globs));

    public ITargetDefinition InputValue(Func<object?> value, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Declare(() => Cache.AddValue(value, TargetCondition.Create(() => true, name).Text));
    }

    public ITargetDefinition InputEnvironment(params string[] variables) => Declare(() => Cache.AddEnvironment(variables));

    public ITargetDefinition InputTool(string executable, params string[] versionArguments) => Declare(() => Cache.AddTool(executable, versionArguments));

    public ITargetDefinition InputTool(Func<string> executable, string[] versionArguments, string? name = null)
        => Declare(() => Cache.AddTool(executable, TargetCondition.Create(() => true, name).Text, versionArguments));

    public ITargetDefinition Outputs(params string[] globs) => Declare(() => Cache.AddOutputs(globs, keptInPlace: false));

    public ITargetDefinition OutputsKeptInPlace(params string[] globs) => Declare(() => Cache.AddOutputs(globs, keptInPlace: true));

    public ITargetDefinition OutputsOutside(string what, Func<CancellationToken, Task<bool>> restore)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        ArgumentNullException.ThrowIfNull(restore);
        return Declare(() => Cache.OutputsOutside.Add(new Caching.OutsideOutput(what, restore)));
    }

    public ITargetDefinition CachedOnlyWhen(Func<bool> condition, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Declare(() => Cache.Conditions.Add(TargetCondition.Create(condition, reason)));
    }

    public ITargetDefinition WhenRestored(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Declare(() => Cache.Restored.Add(action));
    }

    public ITargetDefinition ProceedAfterFailure()
    {
        IsProceedAfterFailure = true;
        return this;
    }

    public ITargetDefinition AssuredAfterFailure()
    {
        IsAssuredAfterFailure = true;
        return this;
    }

    public ITargetDefinition Unlisted()
    {
        IsUnlisted = true;
        return this;
    }

    public ITargetDefinition Executes(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Actions.Add(_ =>
        {
            action();
            return Task.CompletedTask;
        });
        return this;
    }

    public ITargetDefinition Executes(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Actions.Add(_ => action());
        return this;
    }

    public ITargetDefinition Executes(Func<CancellationToken, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Actions.Add(action);
        return this;
    }

    private TargetDefinition Declare(Action declare)
    {
        declare();
        return this;
    }

    private TargetDefinition Add(List<Target> list, Target[] targets)
    {
        list.AddRange(targets);
        return this;
    }
}
