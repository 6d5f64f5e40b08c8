using System.Text;

namespace TypedBuild.Execution;

/// <summary>
/// The last line of defence for files: once the targets ran, every text file under <c>artifacts/</c> (test and
/// coverage reports, rendered manifests, logs that tools wrote themselves) is masked in place, since CI systems
/// publish that folder. Binary files (a NUL byte, or not UTF-8) are left alone.
/// </summary>
internal static class ArtifactMasking
{
    private const long LargestFile = 64L * 1024 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The files that held a secret, relative to the root.</summary>
    public static IReadOnlyList<string> MaskFiles(AbsolutePath root, ISecretMasker masker)
    {
        var directory = root / "artifacts";
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var masked = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).Length is 0 or > LargestFile || ReadText(file) is not { } text)
            {
                continue;
            }

            var safe = masker.Mask(text);
            if (!string.Equals(safe, text, StringComparison.Ordinal))
            {
                File.WriteAllText(file, safe, StrictUtf8);
                masked.Add(AbsolutePath.Create(file).RelativeTo(root));
            }
        }

        return masked;
    }

    /// <summary>The file as UTF-8 text, or null when it is binary or unreadable.</summary>
    internal static string? ReadText(string file)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            return Array.IndexOf(bytes, (byte)0) >= 0 ? null : StrictUtf8.GetString(bytes);
        }
        catch (Exception exception) when (exception is DecoderFallbackException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
