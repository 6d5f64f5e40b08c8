using System.Text;

namespace TypedBuild.Parameters;

/// <summary>Derives the CLI and environment names of a parameter from its PascalCase member name.</summary>
internal static class ParameterNames
{
    // Brand names that read as one word: NuGetApiKey is --nuget-api-key, not --nu-get-api-key.
    private static readonly string[] CompoundWords = ["GitHub", "GitLab", "NuGet", "DotNet", "MSBuild", "OAuth", "JavaScript", "TypeScript"];

    /// <summary><c>SonarHostUrl</c> → <c>sonar-host-url</c>; <c>HTTPPort</c> → <c>http-port</c>.</summary>
    public static string ToKebabCase(string name) => string.Join('-', Words(name)).ToLowerInvariant();

    /// <summary><c>SonarHostUrl</c> → <c>SONAR_HOST_URL</c>.</summary>
    public static string ToEnvironmentName(string name) => string.Join('_', Words(name)).ToUpperInvariant();

    private static List<string> Words(string name)
    {
        foreach (var compound in CompoundWords)
        {
            name = name.Replace(compound, compound[0] + compound[1..].ToLowerInvariant(), StringComparison.Ordinal);
        }

        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }

            if (current.Length > 0 && StartsWord(name, i))
            {
                Flush();
            }

            current.Append(c);
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    private static bool StartsWord(string name, int i)
    {
        var previous = name[i - 1];
        var c = name[i];
        var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
        return char.IsUpper(c) && (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower));
    }
}
