using System.Linq.Expressions;
using TypedBuild.Provisioning;

namespace TypedBuild.Definition;

/// <summary>A target after its definition was evaluated and its references resolved to other targets.</summary>
internal sealed class ExecutableTarget(string name, int index, TargetDefinition definition)
{
    public string Name { get; } = name;

    /// <summary>Declaration order; breaks ties in the plan so that it is deterministic.</summary>
    public int Index { get; } = index;

    /// <summary>The member's delegate, by which other targets and <c>IsPlanned</c> refer to this target.</summary>
    public Target? Delegate { get; init; }

    public string? Description => definition.DescriptionText;

    public List<ExecutableTarget> DependsOn { get; } = [];

    public List<ExecutableTarget> DependentFor { get; } = [];

    public List<ExecutableTarget> After { get; } = [];

    public List<ExecutableTarget> Before { get; } = [];

    public List<ExecutableTarget> Triggers { get; } = [];

    public List<ExecutableTarget> TriggeredBy { get; } = [];

    public IReadOnlyList<TargetCondition> StaticConditions => definition.StaticConditions;

    public IReadOnlyList<TargetCondition> DynamicConditions => definition.DynamicConditions;

    public IReadOnlyList<LambdaExpression> ParameterRequirements => definition.ParameterRequirements;

    public IReadOnlyList<IToolRequirement> ToolRequirements => definition.ToolRequirements;

    public IReadOnlyList<Func<CancellationToken, Task>> Actions => definition.Actions;

    public IReadOnlyList<BuildResource> Resources => definition.Resources;

    public Caching.CacheDeclaration Cache => definition.Cache;

    public bool ProceedAfterFailure => definition.IsProceedAfterFailure;

    public bool AssuredAfterFailure => definition.IsAssuredAfterFailure;

    public bool Unlisted => definition.IsUnlisted;

    public override string ToString() => Name;
}
