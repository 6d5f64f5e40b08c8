using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedBuild.Definition;

namespace TypedBuild.Parameters;

/// <summary>
/// Writes <c>.nuke/build.schema.json</c> (JSON Schema draft-07 of the parameter files, for editor completion) and a
/// starter <c>.nuke/parameters.json</c>. Files are only rewritten when their bytes change, so runs leave git clean.
/// </summary>
internal static class SchemaWriter
{
    public const string SchemaFileName = "build.schema.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Render(IReadOnlyList<ParameterDescriptor> parameters, IReadOnlyList<ExecutableTarget> targets)
    {
        var targetNames = new JsonArray(targets.Select(t => (JsonNode)JsonValue.Create(t.Name)!).ToArray());
        var properties = new JsonObject
        {
            [ParameterFile.SchemaKey] = new JsonObject { ["type"] = "string" },
        };
        foreach (var parameter in parameters)
        {
            properties[parameter.Name] = Describe(parameter);
        }

        foreach (var key in ParameterBinder.BuiltInFileKeys)
        {
            properties[key] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = key == "Target" ? "Targets to run" : "Targets to skip",
                ["items"] = new JsonObject { ["type"] = "string", ["enum"] = targetNames.DeepClone() },
            };
        }

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Build Schema",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        return schema.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>Writes the schema (and a starter parameters.json); returns true when the schema file changed.</summary>
    public static bool Write(AbsolutePath root, IReadOnlyList<ParameterDescriptor> parameters, IReadOnlyList<ExecutableTarget> targets)
    {
        var directory = ParameterFiles.Directory(root);
        Directory.CreateDirectory(directory);
        var parametersFile = directory / "parameters.json";
        if (!File.Exists(parametersFile))
        {
            File.WriteAllText(parametersFile, $"{{\n  \"$schema\": \"./{SchemaFileName}\"\n}}\n");
        }

        return WriteIfChanged(directory / SchemaFileName, Render(parameters, targets));
    }

    internal static bool WriteIfChanged(AbsolutePath path, string content)
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        File.WriteAllBytes(path, bytes);
        return true;
    }

    private static JsonObject Describe(ParameterDescriptor parameter)
    {
        var node = new JsonObject { ["description"] = parameter.Description };
        var type = parameter.ValueType;
        if (type == typeof(string[]))
        {
            node["type"] = "array";
            node["items"] = new JsonObject { ["type"] = "string" };
        }
        else if (type == typeof(bool))
        {
            node["type"] = "boolean";
        }
        else if (type == typeof(int))
        {
            node["type"] = "integer";
        }
        else
        {
            node["type"] = "string";
        }

        if (type.IsEnum)
        {
            node["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());
        }

        if (parameter.IsSecret)
        {
            node["writeOnly"] = true;
        }

        return node;
    }
}
