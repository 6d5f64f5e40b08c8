using TypedBuild.Provisioning;

namespace TypedBuild.Planning;

/// <summary>A target a call would run and the tools it declares with <c>.Requires(...)</c>.</summary>
public sealed record TargetRequirements(string Target, IReadOnlyList<IToolRequirement> Tools);
