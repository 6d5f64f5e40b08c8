using System.Globalization;
using System.Xml.Linq;

namespace ExampleService.Build.Quality;

/// <summary>Line and branch coverage of one assembly (a Cobertura package), as percentages.</summary>
public sealed record AssemblyCoverage(string Name, double LinePercent, double BranchPercent)
{
    public override string ToString() => $"{Name} {CoverageSummary.Format(LinePercent)} line, {CoverageSummary.Format(BranchPercent)} branch";
}

/// <summary>Line and branch coverage of a Cobertura report, as percentages.</summary>
public sealed record CoverageSummary(double LinePercent, double BranchPercent, int LinesCovered, int LinesValid)
{
    /// <summary>The figures of each assembly, lowest line coverage first: where to add tests.</summary>
    public IReadOnlyList<AssemblyCoverage> Assemblies { get; init; } = [];

    public static CoverageSummary ReadCobertura(string file)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"Coverage report {file} does not exist.");
        }

        var root = XDocument.Load(file).Root
            ?? throw new InvalidOperationException($"{file} is empty: it is not a Cobertura report.");
        if (root.Name.LocalName != "coverage")
        {
            throw new InvalidOperationException($"{file} has root <{root.Name.LocalName}>, not <coverage>: it is not a Cobertura report.");
        }

        var linesCovered = IntAttribute(root, "lines-covered");
        var linesValid = IntAttribute(root, "lines-valid");
        var branchesCovered = IntAttribute(root, "branches-covered");
        var branchesValid = IntAttribute(root, "branches-valid");
        return new CoverageSummary(
            Percent(linesCovered, linesValid, root, "line-rate"),
            Percent(branchesCovered, branchesValid, root, "branch-rate"),
            linesCovered ?? 0,
            linesValid ?? 0)
        {
            Assemblies = [.. root.Descendants("package")
                .Select(package => new AssemblyCoverage((string?)package.Attribute("name") ?? "(unnamed)", Rate(package, "line-rate"), Rate(package, "branch-rate")))
                .OrderBy(assembly => assembly.LinePercent)],
        };
    }

    /// <summary>"81.3%": truncated, never rounded up, so a figure below a threshold never prints as equal to it.</summary>
    public static string Format(double percent)
        => (Math.Floor(percent * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public override string ToString() => $"line {Format(LinePercent)}, branch {Format(BranchPercent)}";

    static double Percent(int? covered, int? valid, XElement root, string rateAttribute)
    {
        if (covered is not null && valid is > 0)
        {
            return 100.0 * covered.Value / valid.Value;
        }

        if (valid == 0)
        {
            return 100.0;
        }

        return Rate(root, rateAttribute);
    }

    static double Rate(XElement element, string rateAttribute)
        => double.TryParse((string?)element.Attribute(rateAttribute), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value * 100
            : 0;

    static int? IntAttribute(XElement element, string name)
        => int.TryParse((string?)element.Attribute(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>Minimum line and branch coverage, in percent.</summary>
public sealed record CoverageThresholds(double LinePercent, double BranchPercent)
{
    /// <summary>One message per figure under its threshold, e.g. "Line coverage 81.3% is below the required 85%".</summary>
    public IReadOnlyList<string> Violations(CoverageSummary summary)
    {
        var violations = new List<string>();
        if (summary.LinePercent < LinePercent)
        {
            violations.Add($"Line coverage {CoverageSummary.Format(summary.LinePercent)} is below the required {Required(LinePercent)}");
        }

        if (summary.BranchPercent < BranchPercent)
        {
            violations.Add($"Branch coverage {CoverageSummary.Format(summary.BranchPercent)} is below the required {Required(BranchPercent)}");
        }

        return violations;
    }

    static string Required(double percent) => percent.ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
