namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The end-of-build summary a job's log ends with (the target table and the "Build succeeded in m:ss" line), so a
/// proof can record where each job spent its time.
/// </summary>
public static class BuildSummary
{
    private static readonly string[] Outcomes = ["succeeded", "failed", "cancelled"];

    /// <summary>The lines from the blank line before the last summary table to the final line; empty when the log has none.</summary>
    public static IReadOnlyList<string> From(IReadOnlyList<string> output)
    {
        var final = -1;
        for (var i = output.Count - 1; i >= 0; i--)
        {
            if (Outcomes.Any(outcome => output[i].StartsWith($"Build {outcome} in ", StringComparison.Ordinal)))
            {
                final = i;
                break;
            }
        }

        if (final < 0)
        {
            return [];
        }

        var start = final;
        while (start > 0 && !string.IsNullOrWhiteSpace(output[start - 1]))
        {
            start--;
        }

        return output.Skip(start).Take(final - start + 1).ToList();
    }
}
