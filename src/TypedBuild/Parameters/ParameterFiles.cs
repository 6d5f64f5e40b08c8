using System.Text.Json;

namespace TypedBuild.Parameters;

/// <summary>One <c>.nuke/parameters*.json</c> file: PascalCase member names as keys.</summary>
internal sealed record ParameterFile(string DisplayPath, IReadOnlyDictionary<string, JsonElement> Values)
{
    public const string SchemaKey = "$schema";

    public static ParameterFile? Load(AbsolutePath path, AbsolutePath root)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var display = path.RelativeTo(root);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"{display} must contain a JSON object of parameter values.");
            }

            var values = document.RootElement.EnumerateObject()
                .Where(p => p.Name != SchemaKey)
                .ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            return new ParameterFile(display, values);
        }
        catch (JsonException exception)
        {
            throw new UsageException($"{display} is not valid JSON: {exception.Message}", exception);
        }
    }

    /// <summary>The raw values of a JSON value, or null for JSON null.</summary>
    public static IReadOnlyList<string>? ToStrings(JsonElement element, bool splitText) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList(),
        JsonValueKind.String when splitText => ParameterConverter.SplitList(element.GetString()!),
        JsonValueKind.String => [element.GetString()!],
        _ => [element.GetRawText()],
    };
}

/// <summary>The parameter files in effect: <c>parameters.&lt;profile&gt;.json</c> over <c>parameters.json</c>.</summary>
internal sealed class ParameterFiles
{
    private ParameterFiles(IReadOnlyList<ParameterFile> filesByPrecedence) => FilesByPrecedence = filesByPrecedence;

    public IReadOnlyList<ParameterFile> FilesByPrecedence { get; }

    public static AbsolutePath Directory(AbsolutePath root) => root / ".nuke";

    public static ParameterFiles Load(AbsolutePath root, string? profile)
    {
        var files = new List<ParameterFile>();
        if (profile is not null)
        {
            var profilePath = Directory(root) / $"parameters.{profile}.json";
            var profileFile = ParameterFile.Load(profilePath, root);
            if (profileFile is null)
            {
                var available = AvailableProfiles(root);
                throw new UsageException(
                    $"Profile '{profile}' does not exist: {profilePath.RelativeTo(root)} is missing. " +
                    (available.Count > 0
                        ? $"Available profiles: {string.Join(", ", available)}."
                        : $"No profiles exist yet; create {profilePath.RelativeTo(root)}."));
            }

            files.Add(profileFile);
        }

        if (ParameterFile.Load(Directory(root) / "parameters.json", root) is { } defaults)
        {
            files.Add(defaults);
        }

        return new ParameterFiles(files);
    }

    public static IReadOnlyList<string> AvailableProfiles(AbsolutePath root)
        => System.IO.Directory.Exists(Directory(root))
            ? System.IO.Directory.GetFiles(Directory(root), "parameters.*.json")
                .Select(f => Path.GetFileName(f)["parameters.".Length..^".json".Length])
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>The value with the highest precedence for <paramref name="key"/>, with the file it came from.</summary>
    public (ParameterFile File, JsonElement Value)? Find(string key)
    {
        foreach (var file in FilesByPrecedence)
        {
            var match = file.Values.Keys.FirstOrDefault(k => Planning.NameMatching.AreEquivalent(k, key));
            if (match is not null)
            {
                return (file, file.Values[match]);
            }
        }

        return null;
    }
}
