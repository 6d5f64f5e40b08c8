using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace TypedBuild.Ci.Yaml;

/// <summary>
/// Builds YAML documents from nodes and writes them deterministically: keys in the order given, no line folding,
/// indented sequences, LF line endings, scalars quoted only when a plain one would read as another type.
/// </summary>
internal static partial class YamlWriter
{
    private static readonly EmitterSettings Settings = new(
        bestIndent: 2,
        bestWidth: int.MaxValue,
        isCanonical: false,
        maxSimpleKeyLength: 1024,
        skipAnchorName: false,
        indentSequences: true,
        newLine: "\n");

    /// <summary>A mapping of the entries whose value is not null, in the given order.</summary>
    public static YamlMappingNode Map(params (string Key, YamlNode? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map.Add(Scalar(key), value);
            }
        }

        return map;
    }

    public static YamlMappingNode Map(IEnumerable<KeyValuePair<string, YamlNode>> entries)
        => Map(entries.Select(e => (e.Key, (YamlNode?)e.Value)).ToArray());

    public static YamlSequenceNode Seq(IEnumerable<YamlNode> items) => new(items);

    public static YamlSequenceNode Seq(params YamlNode[] items) => new(items);

    public static YamlSequenceNode Seq(IEnumerable<string> items) => new(items.Select(Scalar));

    /// <summary>Inline sequence of short strings: <c>[a, b]</c>.</summary>
    public static YamlSequenceNode Flow(IEnumerable<string> items) => new(items.Select(Scalar)) { Style = SequenceStyle.Flow };

    public static YamlScalarNode Scalar(string value)
        => new(value) { Style = LooksLikeAnotherType(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };

    /// <summary>A string that must stay quoted wherever it is read (for example <c>"true"</c> for an environment variable).</summary>
    public static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    public static YamlScalarNode Literal(bool value) => new(value ? "true" : "false");

    public static YamlScalarNode Literal(int value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The document text: the banner as comment lines, then the YAML.</summary>
    public static string Write(IEnumerable<string> bannerLines, YamlNode root)
    {
        var text = new StringBuilder();
        foreach (var line in bannerLines)
        {
            text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }

        using var writer = new StringWriter(text) { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(new Emitter(writer, Settings), assignAnchors: false);
        var yaml = text.ToString();
        // The emitter closes the document with an explicit "..." end marker; the CI systems do not need it.
        yaml = yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
        return yaml.TrimEnd('\n') + "\n";
    }

    private static bool LooksLikeAnotherType(string value)
        => value.Length == 0 || OtherTypes().IsMatch(value);

    [GeneratedRegex(@"^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|nan))$", RegexOptions.IgnoreCase)]
    private static partial Regex OtherTypes();
}
