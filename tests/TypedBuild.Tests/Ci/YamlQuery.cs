using YamlDotNet.RepresentationModel;

namespace TypedBuild.Tests.Ci;

/// <summary>Reads generated YAML back for assertions: <c>root.At("jobs", "test", "needs")</c>.</summary>
internal static class YamlQuery
{
    public static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlNode At(this YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                int index => ((YamlSequenceNode)node).Children[index],
                string key => ((YamlMappingNode)node).Children[new YamlScalarNode(key)],
                _ => throw new ArgumentException($"Path steps are keys or indexes, not {step.GetType().Name}."),
            };
        }

        return node;
    }

    public static YamlNode? Find(this YamlNode node, string key)
        => ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string Text(this YamlNode node, params object[] path) => ((YamlScalarNode)node.At(path)).Value!;

    public static IReadOnlyList<string> Texts(this YamlNode node, params object[] path)
        => ((YamlSequenceNode)node.At(path)).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    public static IReadOnlyList<string> Keys(this YamlNode node, params object[] path)
        => ((YamlMappingNode)node.At(path)).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

    /// <summary>The sequence items that are mappings with <paramref name="key"/> equal to <paramref name="value"/>.</summary>
    public static YamlMappingNode Item(this YamlNode sequence, string key, string value)
        => ((YamlSequenceNode)sequence).Children.OfType<YamlMappingNode>().Single(m => m.Find(key) is YamlScalarNode s && s.Value == value);
}
