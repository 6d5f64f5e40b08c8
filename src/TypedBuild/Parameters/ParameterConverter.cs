using System.Globalization;
using TypedBuild.Planning;

namespace TypedBuild.Parameters;

/// <summary>Converts raw values (from the command line, an environment variable or a parameters file) to a parameter's type.</summary>
internal static class ParameterConverter
{
    private static readonly string[] TrueWords = ["true", "yes", "on", "1"];
    private static readonly string[] FalseWords = ["false", "no", "off", "0"];

    public static bool Supports(Type valueType)
        => valueType == typeof(string) || valueType == typeof(bool) || valueType == typeof(int)
            || valueType == typeof(string[]) || valueType == typeof(AbsolutePath) || valueType.IsEnum;

    public static bool IsBooleanLiteral(string value)
        => TrueWords.Contains(value, StringComparer.OrdinalIgnoreCase) || FalseWords.Contains(value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Splits a single text (environment variable, JSON string) into array items on commas and whitespace.</summary>
    public static string[] SplitList(string text)
        => text.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    /// <param name="parameter">The parameter to convert for.</param>
    /// <param name="values">The raw values; empty means the flag was given without a value.</param>
    /// <param name="source">Where the values came from, for error messages ("environment variable REPLICAS").</param>
    /// <param name="root">Relative paths are resolved against it.</param>
    public static object? Convert(ParameterDescriptor parameter, IReadOnlyList<string> values, string source, AbsolutePath root)
    {
        var type = parameter.ValueType;
        if (type == typeof(string[]))
        {
            return values.ToArray();
        }

        if (type == typeof(bool) && values.Count == 0)
        {
            return true;
        }

        if (values.Count == 0)
        {
            throw Invalid(parameter, "(nothing)", source, Expected(parameter));
        }

        var value = string.Join(' ', values);
        if (type == typeof(string))
        {
            return value;
        }

        if (type == typeof(bool))
        {
            return IsBooleanLiteral(value)
                ? TrueWords.Contains(value, StringComparer.OrdinalIgnoreCase)
                : throw Invalid(parameter, value, source, Expected(parameter));
        }

        if (type == typeof(int))
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Invalid(parameter, value, source, Expected(parameter));
        }

        if (type == typeof(AbsolutePath))
        {
            return AbsolutePath.Create(value, root);
        }

        var name = Array.Find(Enum.GetNames(type), n => NameMatching.AreEquivalent(n, value));
        return name is not null
            ? Enum.Parse(type, name)
            : throw Invalid(parameter, value, source, Expected(parameter) + NameMatching.DidYouMean(value, Enum.GetNames(type)));
    }

    private static string Expected(ParameterDescriptor parameter) => parameter.ValueType switch
    {
        var t when t == typeof(int) => "Expected a whole number.",
        var t when t == typeof(bool) => "Allowed values: true, false.",
        var t when t.IsEnum => $"Allowed values: {string.Join(", ", Enum.GetNames(t))}.",
        _ => "Expected a value.",
    };

    private static UsageException Invalid(ParameterDescriptor parameter, string value, string source, string expected)
    {
        var shown = parameter.IsSecret ? "***" : value;
        return new UsageException($"Invalid value '{shown}' for parameter {parameter.Name} ({parameter.CliName}) from {source}. {expected}");
    }
}
