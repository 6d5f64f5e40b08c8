using System.Xml.Linq;

namespace ExampleService.Build.Quality;

public sealed record FailedTest(string Name, string Message)
{
    public override string ToString() => $"{Name}: {Message}";
}

/// <summary>Counts and failures of one test run, read from the TRX files the VSTest <c>trx</c> logger writes.</summary>
public sealed record TestRunSummary(int Passed, int Failed, int Skipped, IReadOnlyList<FailedTest> Failures, IReadOnlyList<string> RunErrors)
{
    static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public int Total => Passed + Failed + Skipped;

    public bool Succeeded => Failed == 0 && RunErrors.Count == 0;

    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    /// <summary>Why the run failed, naming every failing test: "2 tests failed: A.B, A.C".</summary>
    public string FailureMessage()
    {
        var reasons = new List<string>();
        if (Failed > 0)
        {
            reasons.Add($"{Failed} test{(Failed == 1 ? "" : "s")} failed: {string.Join(", ", Failures.Select(f => f.Name))}");
        }

        reasons.AddRange(RunErrors);
        return string.Join("; ", reasons);
    }

    public static TestRunSummary ReadTrxFiles(IEnumerable<string> trxFiles)
    {
        var summaries = trxFiles.Select(file => ParseTrx(XDocument.Load(file))).ToList();
        return new TestRunSummary(
            summaries.Sum(s => s.Passed),
            summaries.Sum(s => s.Failed),
            summaries.Sum(s => s.Skipped),
            [.. summaries.SelectMany(s => s.Failures)],
            [.. summaries.SelectMany(s => s.RunErrors)]);
    }

    public static TestRunSummary ParseTrx(XDocument trx)
    {
        var results = trx.Descendants(Trx + "UnitTestResult").ToList();
        var outcomes = results.Select(r => (string?)r.Attribute("outcome") ?? "").ToList();
        var failures = results
            .Where(r => IsFailure((string?)r.Attribute("outcome")))
            .Select(r => new FailedTest(
                (string?)r.Attribute("testName") ?? "(unnamed test)",
                FirstLine(r.Element(Trx + "Output")?.Element(Trx + "ErrorInfo")?.Element(Trx + "Message")?.Value)))
            .ToList();
        // xUnit echoes each failure as a run-level error too; keep only errors that are not about a failed test.
        var runErrors = trx.Descendants(Trx + "RunInfo")
            .Where(info => (string?)info.Attribute("outcome") == "Error")
            .Select(info => FirstLine(info.Element(Trx + "Text")?.Value))
            .Where(error => !failures.Exists(failure => error.Contains(failure.Name, StringComparison.Ordinal)))
            .ToList();

        return new TestRunSummary(
            outcomes.Count(o => o == "Passed"),
            failures.Count,
            outcomes.Count(o => o is "NotExecuted" or "Inconclusive"),
            failures,
            runErrors);
    }

    static bool IsFailure(string? outcome) => outcome is not ("Passed" or "NotExecuted" or "Inconclusive");

    static string FirstLine(string? text)
    {
        var line = text?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? "(no message)" : line;
    }
}
