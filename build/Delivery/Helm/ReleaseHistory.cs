using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExampleService.Build.Delivery.Helm;

/// <summary>One line of <c>helm history -o json</c>.</summary>
public sealed record HelmRevision(
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("chart")] string? Chart = null,
    [property: JsonPropertyName("app_version")] string? AppVersion = null,
    [property: JsonPropertyName("description")] string? Description = null,
    [property: JsonPropertyName("updated")] string? Updated = null)
{
    public bool IsPending => Status.StartsWith("pending-", StringComparison.Ordinal);

    public override string ToString() => $"revision {Revision} ({Status}{(Description is { Length: > 0 } ? $": {Description}" : string.Empty)})";
}

/// <summary>A release's revisions, oldest first, with the questions deploy and rollback ask of them.</summary>
public sealed class ReleaseHistory
{
    public const string Deployed = "deployed";
    public const string Superseded = "superseded";
    public const string PendingInstall = "pending-install";

    private ReleaseHistory(IReadOnlyList<HelmRevision> revisions) => Revisions = revisions;

    public static ReleaseHistory Empty { get; } = new([]);

    public IReadOnlyList<HelmRevision> Revisions { get; }

    public bool IsEmpty => Revisions.Count == 0;

    /// <summary>The newest revision, whatever its status.</summary>
    public HelmRevision? Latest => Revisions.Count > 0 ? Revisions[^1] : null;

    /// <summary>The revision serving now (status <c>deployed</c>), if any.</summary>
    public HelmRevision? LastDeployed => Revisions.LastOrDefault(r => r.Status == Deployed);

    public static ReleaseHistory FromRevisions(IEnumerable<HelmRevision> revisions) => new([.. revisions.OrderBy(r => r.Revision)]);

    /// <summary>Parses <c>helm history &lt;release&gt; -o json</c>.</summary>
    public static ReleaseHistory Parse(string json)
    {
        try
        {
            return FromRevisions(JsonSerializer.Deserialize<List<HelmRevision>>(json) ?? []);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"'helm history -o json' printed something that is not a release history: {e.Message}", e);
        }
    }

    /// <summary>
    /// The revision a rollback without <c>--revision</c> goes to: the newest earlier revision that was live
    /// (deployed, then superseded) before the current deployed one.
    /// </summary>
    public HelmRevision? PreviousDeployed()
    {
        var current = LastDeployed;
        return current is null
            ? null
            : Revisions.LastOrDefault(r => r.Revision < current.Revision && r.Status is Superseded or Deployed);
    }
}
