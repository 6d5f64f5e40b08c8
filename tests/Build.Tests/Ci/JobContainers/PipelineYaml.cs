using TypedBuild;
using YamlDotNet.RepresentationModel;

namespace Build.Tests.Ci.JobContainers;

/// <summary>Reading a generated pipeline file the way the job proofs need: the root mapping, a child by key, a scalar by key.</summary>
internal static class PipelineYaml
{
    public static YamlMappingNode Load(AbsolutePath file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlNode? Child(YamlNode? node, string key)
        => node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Text(YamlNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;
}
