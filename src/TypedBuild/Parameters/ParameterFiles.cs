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

            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Name != SchemaKey))
            {
                var earlier = values.Keys.FirstOrDefault(k => Planning.NameMatching.AreEquivalent(k, property.Name));
                if (earlier is not null)
                {
                    throw new UsageException($"{display}: key '{property.Name}' appears twice (also as '{earlier}'). Keep one of them.");
                }

                values[property.Name] = property.Value.Clone();
            }

            return new ParameterFile(display, values);
        }
        catch (JsonException exception)
        {
            throw new UsageException($"{display} is not valid JSON: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// The raw values of <paramref name="key"/>: a list is a JSON array of strings or numbers, a single value a string,
    /// number or boolean. Anything else (null, an object, an array for a single value, a single value for a list) is a
    /// usage error naming the file, the key, the expected type and an example.
    /// </summary>
    public IReadOnlyList<string> ValuesOf(string key, JsonElement element, ParameterShape shape)
    {
        var problem = element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "is null",
            JsonValueKind.Object => "is an object",
            JsonValueKind.Array when !shape.IsList => "is an array",
            JsonValueKind.Array when element.EnumerateArray().Any(e => e.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)) => "holds an item that is not a string",
            JsonValueKind.String when shape.IsList => "is a string",
            JsonValueKind.Number when shape.IsList => "is a number",
            JsonValueKind.True or JsonValueKind.False when shape.IsList => "is a boolean",
            _ => null,
        };
        if (problem is not null)
        {
            throw new UsageException(
                $"{DisplayPath}: key '{key}' {problem}; expected {shape.Expected}, e.g. \"{key}\": {shape.Example}. " +
                "Fix the value, or remove the key to use the next source (the base file or the default).");
        }

        return element.ValueKind switch
        {
            JsonValueKind.Array => element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList(),
            JsonValueKind.String => [element.GetString()!],
            _ => [element.GetRawText()],
        };
    }
}

/// <summary>What a parameters file key must hold, for its error message: a list or a single value, described, with an example.</summary>
internal sealed record ParameterShape(bool IsList, string Expected, string Example)
{
    public static ParameterShape List { get; } = new(true, "a list of strings", """["a", "b"]""");
}

/// <summary>The parameter files in effect: <c>parameters.&lt;profile&gt;.json</c> over <c>parameters.json</c>.</summary>
internal sealed class ParameterFiles
{
    private ParameterFiles(IReadOnlyList<ParameterFile> filesByPrecedence) => FilesByPrecedence = filesByPrecedence;

    public IReadOnlyList<ParameterFile> FilesByPrecedence { get; }

    /// <summary>No files: what the build goes on with when the files could not be read.</summary>
    public static ParameterFiles None { get; } = new([]);

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
