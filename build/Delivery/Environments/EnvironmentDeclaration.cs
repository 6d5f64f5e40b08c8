using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using TypedBuild;
using TypedBuild.Ci;

namespace ExampleService.Build.Delivery.Environments;

/// <summary>
/// One deploy environment as <c>environments.json</c> declares it: the files that configure it, and for the promotion
/// chain the ref that deploys it, whether it needs an approval and the environment whose verified digest it deploys.
/// </summary>
public sealed record DeployEnvironment
{
    public required string Name { get; init; }

    /// <summary>The parameter profile, <c>.nuke/parameters.&lt;name&gt;.json</c> (relative to the repository root).</summary>
    public required string Profile { get; init; }

    /// <summary>The chart's values file (relative to the root); none for an environment without a cluster (local).</summary>
    public string? ValuesFile { get; init; }

    /// <summary>The branch whose pushes deploy it (one of <see cref="Branch"/> and <see cref="Tag"/> in the promotion chain).</summary>
    public string? Branch { get; init; }

    /// <summary>The tag glob (<c>v*</c>) whose pushes deploy it.</summary>
    public string? Tag { get; init; }

    /// <summary>Deploys and rollbacks need the approval (<c>--deploy-approved</c>, set by CI after its approval gate).</summary>
    public bool Protected { get; init; }

    /// <summary>The environment whose verified digest this one deploys; null for the first, which deploys the commit's build.</summary>
    public string? PromotesFrom { get; init; }

    /// <summary>True for the environments of the promotion chain, false for sandboxes (local, kind).</summary>
    [JsonIgnore]
    public bool InPromotion { get; init; }

    /// <summary>The CI event that deploys it.</summary>
    [JsonIgnore]
    public CiTrigger? Trigger
    {
        get
        {
            if (Branch is not null)
            {
                return CiTrigger.Branch(Branch);
            }

            return Tag is null ? null : CiTrigger.Tag(Tag);
        }
    }

    /// <summary>The profile's name as <c>--env</c> takes it: <c>.nuke/parameters.dev.json</c> → <c>dev</c>.</summary>
    [JsonIgnore]
    public string ProfileName
    {
        get
        {
            var file = Path.GetFileName(Profile);
            return file.StartsWith("parameters.", StringComparison.Ordinal) && file.EndsWith(".json", StringComparison.Ordinal) ? file["parameters.".Length..^".json".Length] : file;
        }
    }
}

/// <summary>
/// <c>environments.json</c>: the environments in promotion order and the sandboxes, declared once. Deploy, Promote,
/// Rollback, the deploy gate, CI generation, the chart lint and every message about environments read it.
/// </summary>
public sealed partial class EnvironmentDeclaration
{
    public const string FileName = "environments.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private EnvironmentDeclaration(IReadOnlyList<DeployEnvironment> promotion, IReadOnlyList<DeployEnvironment> sandboxes)
    {
        Promotion = promotion;
        Sandboxes = sandboxes;
    }

    /// <summary>The chain, in promotion order: each deploys what the one before verified.</summary>
    public IReadOnlyList<DeployEnvironment> Promotion { get; }

    /// <summary>Deploy targets outside the chain (this machine, a local kind cluster): never promoted from, never announced.</summary>
    public IReadOnlyList<DeployEnvironment> Sandboxes { get; }

    public IEnumerable<DeployEnvironment> All => Promotion.Concat(Sandboxes);

    /// <summary>The promotion order as people read it: <c>dev → staging → prod</c>.</summary>
    public string PromotionOrder => string.Join(" → ", Promotion.Select(e => e.Protected ? e.Name + " (approved)" : e.Name));

    /// <summary>Every environment name, for <c>--env</c> messages: <c>dev|staging|prod|local|kind</c>.</summary>
    public string Names => string.Join('|', All.Select(e => e.Name));

    public static EnvironmentDeclaration Load(AbsolutePath root) => Parse(root / FileName, File.Exists(root / FileName)
        ? File.ReadAllText(root / FileName)
        : throw new InvalidOperationException($"{FileName} is missing at the repository root {root}: it declares the deploy environments (see README, 'Environments')."));

    public static EnvironmentDeclaration Parse(string source, string json)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{source} is not a valid environment declaration: {e.Message}", e);
        }

        var promotion = (document?.Promotion ?? []).Select(e => e with { InPromotion = true }).ToList();
        var sandboxes = (document?.Sandboxes ?? []).ToList();
        var problems = Problems(promotion, sandboxes).ToList();
        return problems.Count == 0
            ? new EnvironmentDeclaration(promotion, sandboxes)
            : throw new InvalidOperationException($"{source} declares the environments wrongly:\n  - {string.Join("\n  - ", problems)}");
    }

    /// <summary>The environment <c>--env</c> names, or a message listing the declared ones.</summary>
    public DeployEnvironment Get(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidOperationException($"Choose the environment with --env {Names} (promotion order {PromotionOrder}; local runs the service on this machine's Docker engine, kind on a local kind cluster).");
        }

        return All.FirstOrDefault(e => e.Name == name)
            ?? throw new InvalidOperationException($"--env {name} is not an environment {FileName} declares; use one of {string.Join(", ", All.Select(e => e.Name))}, or declare it there (with its profile and values file).");
    }

    /// <summary>The environment a promotion takes its digest from, or null for the first of the chain.</summary>
    public DeployEnvironment? Upstream(DeployEnvironment environment)
        => environment.PromotesFrom is { } from ? Get(from) : null;

    /// <summary>The files an environment declares that do not exist, each with how to fix it; empty when all are there.</summary>
    public static IReadOnlyList<string> MissingFiles(AbsolutePath root, DeployEnvironment environment)
    {
        var missing = new List<string>();
        if (!File.Exists(root / environment.Profile))
        {
            missing.Add($"environment '{environment.Name}' declares the profile {environment.Profile}, which does not exist: create it with the environment's KubeContext and KubeNamespace (copy another environment's profile).");
        }

        if (environment.ValuesFile is { } values && !File.Exists(root / values))
        {
            missing.Add($"environment '{environment.Name}' declares the values file {values}, which does not exist: create it (start from the values file of the environment it promotes from).");
        }

        return missing;
    }

    /// <summary>Every declared file that is missing, for Lint and GenerateCi.</summary>
    public IReadOnlyList<string> MissingFiles(AbsolutePath root) => [.. All.SelectMany(e => MissingFiles(root, e))];

    /// <summary>Throws when a file of <paramref name="environment"/> is missing: nothing is deployed with half a configuration.</summary>
    public static void RequireFiles(AbsolutePath root, DeployEnvironment environment)
    {
        var missing = MissingFiles(root, environment);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Cannot deploy to {environment.Name}: {string.Join(" ", missing)}");
        }
    }

    private static IEnumerable<string> Problems(List<DeployEnvironment> promotion, List<DeployEnvironment> sandboxes)
    {
        if (promotion.Count == 0)
        {
            yield return "'promotion' lists no environment: declare at least the first one (name, branch, profile, valuesFile).";
        }

        var seen = new List<string>();
        foreach (var environment in promotion.Concat(sandboxes))
        {
            var where = $"environment '{environment.Name}'";
            if (!Name().IsMatch(environment.Name ?? string.Empty))
            {
                yield return $"{where}: the name must be lower-case letters, digits and '-' (it names the profile, the values file, CI jobs and registry tags).";
            }

            if (seen.Contains(environment.Name!))
            {
                yield return $"{where} is declared twice.";
            }

            if (environment.ProfileName != environment.Name)
            {
                yield return $"{where}: the profile must be .nuke/parameters.{environment.Name}.json (--env {environment.Name} loads it), not {environment.Profile}.";
            }

            if (environment.InPromotion)
            {
                if ((environment.Branch is null) == (environment.Tag is null))
                {
                    yield return $"{where}: give exactly one trigger, \"branch\" (e.g. \"develop\") or \"tag\" (e.g. \"v*\").";
                }

                if (environment.ValuesFile is null)
                {
                    yield return $"{where}: a promoted environment runs on a cluster; declare its \"valuesFile\" (charts/example-service/values-{environment.Name}.yaml).";
                }

                var expected = seen.Count == 0 ? null : seen[^1];
                var actual = environment.PromotesFrom is null ? "missing" : $"\"{environment.PromotesFrom}\"";
                if (environment.PromotesFrom != expected)
                {
                    yield return expected is null
                        ? $"{where} is first in the promotion order, so it deploys the commit's own build: drop \"promotesFrom\"."
                        : $"{where}: \"promotesFrom\" must be \"{expected}\", the environment before it in the promotion order (it is {actual}).";
                }
            }
            else if (environment.Branch is not null || environment.Tag is not null || environment.PromotesFrom is not null || environment.Protected)
            {
                yield return $"{where}: a sandbox has no trigger, approval or promotesFrom; move it to 'promotion' if it belongs to the chain.";
            }

            seen.Add(environment.Name!);
        }
    }

    private sealed record Document(
        [property: JsonPropertyName("$comment")] string? Comment,
        IReadOnlyList<DeployEnvironment>? Promotion,
        IReadOnlyList<DeployEnvironment>? Sandboxes);

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex Name();
}
