using System.Text;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// Tags a build gives its image besides the digest: the short commit SHA (which promotion finds the commit's one
/// build by) and the branch. Version tags are immutable and written once by the release's promotion, never by a build.
/// Deployments use the digest (see <c>PushedImage</c>).
/// </summary>
public static class ImageTags
{
    /// <summary>Docker allows 128 characters in a tag.</summary>
    public const int MaxLength = 128;

    private const int ShortShaLength = 7;

    /// <summary>Short SHA and safe branch tag, without duplicates or empties; "local" when neither is known.</summary>
    public static IReadOnlyList<string> For(string? commit, string? branch)
    {
        var tags = new List<string>();
        AddIfPresent(tags, ShortSha(commit));
        AddIfPresent(tags, FromBranch(branch));
        return tags.Count > 0 ? tags : ["local"];
    }

    /// <summary>The first seven hex digits of a commit SHA, or null when there is no usable commit.</summary>
    public static string? ShortSha(string? commit)
    {
        var sha = commit?.Trim().ToLowerInvariant();
        return sha is { Length: >= ShortShaLength } && sha.All(char.IsAsciiHexDigitLower) ? sha[..ShortShaLength] : null;
    }

    /// <summary>
    /// A branch name as a tag: <c>refs/heads/</c> dropped, lower-case, every run of characters outside
    /// <c>[a-z0-9._-]</c> turned into one <c>-</c>, no leading <c>.</c> or <c>-</c>, at most 128 characters.
    /// Null for a detached HEAD or a name with nothing usable in it.
    /// </summary>
    public static string? FromBranch(string? branch)
    {
        if (string.IsNullOrWhiteSpace(branch) || branch.Trim() == "HEAD")
        {
            return null;
        }

        var name = branch.Trim();
        const string headsPrefix = "refs/heads/";
        if (name.StartsWith(headsPrefix, StringComparison.Ordinal))
        {
            name = name[headsPrefix.Length..];
        }

        return Sanitize(name);
    }

    /// <summary>Any text as a valid, lower-case tag (see <see cref="FromBranch"/>), or null if nothing is left.</summary>
    public static string? Sanitize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var tag = new StringBuilder(text.Length);
        foreach (var ch in text.Trim().ToLowerInvariant())
        {
            var allowed = char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '.' or '_' or '-';
            if (allowed)
            {
                tag.Append(ch);
            }
            else if (tag.Length == 0 || tag[^1] != '-')
            {
                tag.Append('-');
            }
        }

        var result = tag.ToString().TrimStart('.', '-');
        if (result.Length > MaxLength)
        {
            result = result[..MaxLength];
        }

        result = result.TrimEnd('-', '.');
        return result.Length == 0 ? null : result;
    }

    private static void AddIfPresent(List<string> tags, string? tag)
    {
        if (tag is not null && !tags.Contains(tag))
        {
            tags.Add(tag);
        }
    }
}
