using System.Security.Cryptography;
using Microsoft.Extensions.FileSystemGlobbing;

namespace TypedBuild.Caching;

/// <summary>Files matching declared globs, relative to the root with forward slashes, in ordinal order.</summary>
internal static class FileSet
{
    public static IReadOnlyList<string> Match(AbsolutePath root, IEnumerable<string> globs)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var glob in globs)
        {
            var exclude = glob.StartsWith('!');
            var pattern = Normalize(root, exclude ? glob[1..] : glob);
            if (exclude)
            {
                matcher.AddExclude(pattern);
            }
            else
            {
                matcher.AddInclude(pattern);
            }
        }

        return Directory.Exists(root)
            ? matcher.GetResultsInFullPath(root).Select(path => AbsolutePath.Create(path).RelativeTo(root).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public static string Digest(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string Digest(IEnumerable<string> lines)
        => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines))));

    /// <summary>A folder (written as a plain path, or ending in a slash) stands for everything in it.</summary>
    private static string Normalize(AbsolutePath root, string pattern)
    {
        var trimmed = pattern.Replace('\\', '/');
        var isFolder = trimmed.EndsWith('/') || (!trimmed.Contains('*', StringComparison.Ordinal) && Directory.Exists(root / trimmed));
        return isFolder ? trimmed.TrimEnd('/') + "/**" : trimmed;
    }
}
