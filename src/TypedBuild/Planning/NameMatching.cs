namespace TypedBuild.Planning;

/// <summary>Lenient name comparison (case and separators ignored) and "did you mean" suggestions.</summary>
internal static class NameMatching
{
    public static string Normalize(string name)
        => string.Concat(name.Where(char.IsLetterOrDigit)).ToUpperInvariant();

    public static bool AreEquivalent(string left, string right) => Normalize(left) == Normalize(right);

    /// <summary>The candidate closest to <paramref name="input"/> by edit distance, or null when none is close.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var normalized = Normalize(input);
        var best = candidates
            .Select(c => (Candidate: c, Distance: Distance(normalized, Normalize(c))))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        var tolerance = Math.Max(2, normalized.Length / 2);
        return best.Candidate is not null && best.Distance <= tolerance ? best.Candidate : null;
    }

    public static string DidYouMean(string input, IEnumerable<string> candidates)
        => Closest(input, candidates) is { } closest ? $" Did you mean '{closest}'?" : string.Empty;

    internal static int Distance(string left, string right)
    {
        var previous = Enumerable.Range(0, right.Length + 1).ToArray();
        var current = new int[right.Length + 1];
        for (var i = 1; i <= left.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= right.Length; j++)
            {
                var substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[right.Length];
    }
}
