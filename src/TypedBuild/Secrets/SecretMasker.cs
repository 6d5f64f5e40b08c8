using System.Text;

namespace TypedBuild;

/// <summary>
/// Replaces registered secrets with <c>***</c>: the raw value, the forms it commonly travels in (URL-encoded, Base64)
/// and, for a value with line breaks (a key file, a kubeconfig), each of its lines of at least
/// <see cref="MinimumLength"/> characters, as GitHub does, because output is often read and written one line at a
/// time. Every character covered by any occurrence is replaced, so overlapping secrets are not half-masked.
/// </summary>
public sealed class SecretMasker : ISecretMasker
{
    public const string Replacement = "***";

    /// <summary>Shorter values would mask ordinary words and digits all over the log.</summary>
    public const int MinimumLength = 3;

    private static readonly char[] LineBreaks = ['\r', '\n'];

    private readonly Lock _lock = new();
    private string[] _values = [];

    public void Register(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Trim().Length < MinimumLength)
        {
            return;
        }

        var lines = secret.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Length >= MinimumLength && line != secret);
        string[] forms = [secret, Uri.EscapeDataString(secret), Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), .. lines];
        lock (_lock)
        {
            _values = _values.Concat(forms).Distinct(StringComparer.Ordinal)
                .OrderByDescending(v => v.Length)
                .ToArray();
        }
    }

    public string Mask(string text)
    {
        if (string.IsNullOrEmpty(text) || _values.Length == 0)
        {
            return text;
        }

        return Replace(text, Covered(text, _values), text.Length);
    }

    /// <summary>
    /// How much of <paramref name="text"/>, a stream's pending output, can be masked and written now: everything up to
    /// the earliest point where a secret might begin that the next write could complete. Values with line breaks are
    /// not waited for, since their lines are masked on their own, so a finished line is never held back.
    /// </summary>
    internal int SafeLength(string text)
    {
        var values = _values;
        var safe = text.Length;
        foreach (var value in values.Where(v => v.IndexOfAny(LineBreaks) < 0))
        {
            for (var start = Math.Max(0, text.Length - value.Length + 1); start < safe; start++)
            {
                if (value.AsSpan().StartsWith(text.AsSpan(start), StringComparison.Ordinal))
                {
                    safe = start;
                    break;
                }
            }
        }

        // A complete occurrence that reaches past the cut would be split: cut before it instead.
        foreach (var (start, end) in Covered(text, values))
        {
            if (start < safe && end > safe)
            {
                return start;
            }
        }

        return safe;
    }

    /// <summary>Masks the first <paramref name="length"/> characters of a stream's pending output.</summary>
    internal string MaskPrefix(string text, int length)
        => Replace(text[..length], Covered(text, _values).Where(r => r.End <= length).ToList(), length);

    private static List<(int Start, int End)> Covered(string text, string[] values)
    {
        var ranges = new List<(int Start, int End)>();
        foreach (var value in values)
        {
            for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + 1, StringComparison.Ordinal))
            {
                ranges.Add((index, index + value.Length));
            }
        }

        ranges.Sort();
        var merged = new List<(int Start, int End)>();
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private static string Replace(string text, List<(int Start, int End)> covered, int length)
    {
        if (covered.Count == 0)
        {
            return length == text.Length ? text : text[..length];
        }

        var masked = new StringBuilder(length);
        var position = 0;
        foreach (var (start, end) in covered)
        {
            masked.Append(text, position, start - position).Append(Replacement);
            position = end;
        }

        return masked.Append(text, position, length - position).ToString();
    }
}
