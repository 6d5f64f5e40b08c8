using System.Text.Json.Nodes;
using ExampleService.Build.Delivery.Environments;
using ExampleService.Build.Tests.Delivery.Helm;

namespace Build.Tests.Delivery.Environments;

/// <summary>The repository's environments.json and the files it declares, copied into a scratch root; tests add environments there.</summary>
internal static class EnvironmentFiles
{
    public static string Root => HelmToolchain.RepositoryRoot;

    /// <summary>Copies environments.json, every declared profile (with .nuke/parameters.json) and values file to <paramref name="root"/>.</summary>
    public static void CopyTo(string root)
    {
        var declaration = EnvironmentDeclaration.Load(TypedBuild.AbsolutePath.Create(Root));
        var files = declaration.All.SelectMany(e => new[] { e.Profile, e.ValuesFile }).OfType<string>()
            .Append(EnvironmentDeclaration.FileName)
            .Append(".nuke/parameters.json");
        foreach (var file in files)
        {
            var target = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(Root, file), target, overwrite: true);
        }
    }

    /// <summary>
    /// Declares <paramref name="name"/> in <paramref name="root"/>'s environments.json after <paramref name="after"/>
    /// (the next environment then promotes from it), as a person adding one would; optionally with its files.
    /// </summary>
    public static void AddEnvironment(string root, string name, string after, string? tag = null, string? branch = null, bool withFiles = true)
    {
        var path = Path.Combine(root, EnvironmentDeclaration.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var promotion = json["promotion"]!.AsArray();
        var index = promotion.Select(e => (string)e!["name"]!).ToList().IndexOf(after) + 1;
        var entry = new JsonObject
        {
            ["name"] = name,
            [tag is null ? "branch" : "tag"] = tag ?? branch ?? name,
            ["promotesFrom"] = after,
            ["profile"] = $".nuke/parameters.{name}.json",
            ["valuesFile"] = $"charts/example-service/values-{name}.yaml",
        };
        if (index < promotion.Count)
        {
            promotion[index]!["promotesFrom"] = name;
        }

        promotion.Insert(index, entry);
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        if (withFiles)
        {
            File.WriteAllText(Path.Combine(root, ".nuke", $"parameters.{name}.json"), $$"""{ "KubeContext": "example-service-{{name}}", "KubeNamespace": "example-service-{{name}}" }""");
            File.Copy(Path.Combine(root, "charts", "example-service", $"values-{after}.yaml"), Path.Combine(root, "charts", "example-service", $"values-{name}.yaml"), overwrite: true);
        }
    }
}
