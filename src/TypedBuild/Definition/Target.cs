namespace TypedBuild;

/// <summary>
/// A target is a member of the build class whose value configures its own definition:
/// <c>Target Compile => _ => _.DependsOn(Restore).Executes(() => ...);</c>. The member name is the target name.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);
