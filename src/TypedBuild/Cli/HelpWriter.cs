using System.Globalization;
using System.Text;
using TypedBuild.Definition;
using TypedBuild.Parameters;

namespace TypedBuild.Cli;

/// <summary>Plain-text <c>--help</c>: targets with direct dependencies, parameters, then built-in options.</summary>
internal static class HelpWriter
{
    public static string Render(
        IReadOnlyList<ExecutableTarget> targets,
        IReadOnlyCollection<ExecutableTarget> defaults,
        IReadOnlyList<ParameterDescriptor> parameters)
    {
        var text = new StringBuilder();
        text.AppendLine("Targets (with their direct dependencies):").AppendLine();
        var listed = targets.Where(t => !t.Unlisted).ToList();
        var width = listed.Select(t => t.Name.Length + (defaults.Contains(t) ? " (default)".Length : 0)).DefaultIfEmpty(0).Max() + 4;
        foreach (var target in listed)
        {
            var name = target.Name + (defaults.Contains(target) ? " (default)" : string.Empty);
            var dependencies = target.DependsOn.Count > 0 ? "-> " + string.Join(", ", target.DependsOn) : string.Empty;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {name.PadRight(width)}{dependencies}").TrimEnd());
            if (target.Description is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"      {target.Description}");
            }
        }

        text.AppendLine().AppendLine("Parameters:").AppendLine();
        foreach (var parameter in parameters.Where(p => p.Listed))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {parameter.CliName} <{parameter.TypeDisplayName}>{(parameter.IsSecret ? "  (secret)" : string.Empty)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"      {WithPeriod(parameter.Description)}");
            var details = new List<string> { $"Env: {parameter.EnvironmentName}" };
            if (parameter.AllowedValues.Count > 0)
            {
                details.Add($"Allowed: {string.Join(", ", parameter.AllowedValues)}");
            }

            if (FormatDefault(parameter) is { } defaultValue)
            {
                details.Add($"Default: {defaultValue}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"      {string.Join(". ", details)}.");
        }

        text.AppendLine().AppendLine("Built-in options:").AppendLine();
        foreach (var option in BuiltInOptions.All)
        {
            var name = option.Alias is null ? option.Name : $"{option.Name}, {option.Alias}";
            var usage = $"{name} {option.Usage}".TrimEnd();
            // A usage too long for the column gets a line of its own rather than running into its description.
            var column = usage.Length < 28 ? $"{usage,-28}" : $"{usage}{Environment.NewLine}  {string.Empty,-28}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {column}{WithPeriod(option.Description)}");
        }

        return text.ToString();
    }

    private static string WithPeriod(string text) => text.EndsWith('.') ? text : text + ".";

    private static string? FormatDefault(ParameterDescriptor parameter) => parameter.DefaultValue switch
    {
        null => null,
        _ when parameter.IsSecret => "***",
        string[] { Length: 0 } => null,
        string[] values => string.Join(", ", values),
        string { Length: 0 } => null,
        bool flag => flag ? "true" : "false",
        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
