namespace TypedBuild;

/// <summary>
/// Something that at most one running target may use at a time (the Docker Engine, a fixed port, the solution's
/// <c>obj/</c> folders): targets declare it with <see cref="ITargetDefinition.NeedsAlone"/>, and the executor never
/// starts a target while another one holding the same resource runs. Compared by reference: declare each once.
/// </summary>
public sealed class BuildResource(string name)
{
    public string Name { get; } = string.IsNullOrWhiteSpace(name)
        ? throw new ArgumentException("A build resource needs a name (it appears in --plan).", nameof(name))
        : name;

    public override string ToString() => Name;
}
