namespace TypedBuild;

/// <summary>
/// Something only a few running targets may use at a time: the Docker Engine or a fixed port (one at a time), the
/// machine's cores (as many CPU-bound processes as the cores can keep busy). Targets declare it with
/// <see cref="ITargetDefinition.NeedsAlone"/>, and the executor never starts a target while
/// <see cref="Capacity"/> running targets already hold the same resource. Compared by reference: declare each once.
/// </summary>
public sealed class BuildResource
{
    /// <param name="name">What the resource is; it appears in <c>--plan</c> and in errors.</param>
    /// <param name="capacity">How many running targets may hold it at once (one: each holder has it alone).</param>
    public BuildResource(string name, int capacity = 1)
    {
        Name = string.IsNullOrWhiteSpace(name)
            ? throw new ArgumentException("A build resource needs a name (it appears in --plan).", nameof(name))
            : name;
        Capacity = capacity >= 1
            ? capacity
            : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"Build resource '{name}' needs a capacity of at least 1 (how many targets may hold it at once).");
    }

    public string Name { get; }

    public int Capacity { get; }

    /// <summary>
    /// The machine's cores, shared by targets whose process keeps about <paramref name="coresPerHolder"/> cores busy
    /// (a <c>dotnet build</c>, <c>dotnet test</c> or <c>dotnet format</c> of a solution): as many of them run at once
    /// as the cores can take, at least one. Running more only makes each slower, so on two cores they take turns.
    /// </summary>
    public static BuildResource Cores(string name, int coresPerHolder, int? processorCount = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(coresPerHolder, 1);
        return new BuildResource(name, Math.Max(1, (processorCount ?? Environment.ProcessorCount) / coresPerHolder));
    }

    public override string ToString() => Capacity == 1 ? Name : $"{Name} ({Capacity} at once)";
}
