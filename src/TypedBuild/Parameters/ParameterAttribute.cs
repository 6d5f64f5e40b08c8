namespace TypedBuild;

/// <summary>
/// Marks a field or property of the build class as a parameter. Supported types: string, bool, int, enums,
/// string arrays, <see cref="AbsolutePath"/> and their nullable forms. The value comes, in this order, from
/// <c>--kebab-case</c> on the command line, an <c>UPPER_SNAKE_CASE</c> environment variable,
/// <c>.nuke/parameters.&lt;profile&gt;.json</c>, <c>.nuke/parameters.json</c>, and finally the member's initializer.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>Overrides the member name (PascalCase) from which the CLI, environment and JSON names are derived.</summary>
    public string? Name { get; init; }

    /// <summary>When false the parameter is left out of <c>--help</c>.</summary>
    public bool Listed { get; init; } = true;
}

/// <summary>
/// The parameter's value is masked in everything the build prints (its own log, child process output, errors)
/// and registered with the CI host's masking where it has one.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
