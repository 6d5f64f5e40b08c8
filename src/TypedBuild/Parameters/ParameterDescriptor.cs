using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace TypedBuild.Parameters;

/// <summary>A <c>[Parameter]</c> member of the build class with its names and conversion rules.</summary>
[SuppressMessage("Major Vulnerability", "S3011", Justification = "Parameters are private or readonly members of the build class, filled like NUKE does.")]
internal sealed class ParameterDescriptor
{
    private ParameterDescriptor(MemberInfo member, Type type, ParameterAttribute attribute)
    {
        Member = member;
        Type = type;
        Name = attribute.Name ?? member.Name;
        Description = attribute.Description;
        Listed = attribute.Listed;
        IsSecret = member.IsDefined(typeof(SecretAttribute), inherit: true);
        ValueType = Nullable.GetUnderlyingType(type) ?? type;
        if (!ParameterConverter.Supports(ValueType))
        {
            throw new UsageException(
                $"Parameter '{member.Name}' has type {type.Name}, which is not supported. " +
                "Use string, bool, int, an enum, string[], AbsolutePath or their nullable forms.");
        }
    }

    public MemberInfo Member { get; }

    /// <summary>PascalCase name: the JSON key in parameter files.</summary>
    public string Name { get; }

    public string Description { get; }

    public bool Listed { get; }

    public bool IsSecret { get; }

    /// <summary>Declared type.</summary>
    public Type Type { get; }

    /// <summary>Declared type without <see cref="Nullable{T}"/>.</summary>
    public Type ValueType { get; }

    public string CliName => "--" + ParameterNames.ToKebabCase(Name);

    public string EnvironmentName => ParameterNames.ToEnvironmentName(Name);

    public bool IsBoolean => ValueType == typeof(bool);

    public bool IsArray => ValueType == typeof(string[]);

    /// <summary>The member initializer's value, read before any source is applied.</summary>
    public object? DefaultValue { get; private set; }

    public static IReadOnlyList<ParameterDescriptor> Discover(BuildBase build)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var parameters = new List<ParameterDescriptor>();
        for (var type = build.GetType(); type is not null && type != typeof(BuildBase); type = type.BaseType)
        {
            var members = type.GetMembers(flags)
                .Where(m => m is FieldInfo or PropertyInfo && m.GetCustomAttribute<ParameterAttribute>() is not null)
                .OrderBy(m => m.MetadataToken);
            parameters.InsertRange(0, members.Select(m => Create(m, build)));
        }

        var duplicate = parameters.GroupBy(p => Planning.NameMatching.Normalize(p.Name)).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? parameters
            : throw new UsageException($"Parameters {string.Join(" and ", duplicate.Select(p => p.Member.Name))} have the same name.");
    }

    private static ParameterDescriptor Create(MemberInfo member, BuildBase build)
    {
        var type = member is FieldInfo field ? field.FieldType : ((PropertyInfo)member).PropertyType;
        var descriptor = new ParameterDescriptor(member, type, member.GetCustomAttribute<ParameterAttribute>()!);
        descriptor.DefaultValue = descriptor.GetValue(build);
        return descriptor;
    }

    public object? GetValue(BuildBase build) => Member switch
    {
        FieldInfo field => field.GetValue(build),
        PropertyInfo property => property.GetValue(build),
        _ => null,
    };

    /// <summary>Writes the value, also into readonly fields and getter-only auto-properties (as NUKE does).</summary>
    public void SetValue(BuildBase build, object? value)
    {
        switch (Member)
        {
            case FieldInfo field:
                field.SetValue(build, value);
                break;
            case PropertyInfo { SetMethod: not null } property:
                property.SetValue(build, value);
                break;
            case PropertyInfo property:
                var backingField = property.DeclaringType!.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic)
                    ?? throw new UsageException($"Parameter '{property.Name}' is a computed property; make it a field or an auto-property.");
                backingField.SetValue(build, value);
                break;
        }
    }

    /// <summary>Values shown in help and the schema: enum names or true/false.</summary>
    public IReadOnlyList<string> AllowedValues
    {
        get
        {
            if (ValueType.IsEnum)
            {
                return Enum.GetNames(ValueType);
            }

            return IsBoolean ? ["true", "false"] : [];
        }
    }

    /// <summary>What a parameters file must hold for this parameter, with an example, for error messages.</summary>
    public ParameterShape FileShape => ValueType switch
    {
        _ when IsArray => ParameterShape.List,
        _ when ValueType == typeof(bool) => new(false, "true or false", "true"),
        _ when ValueType == typeof(int) => new(false, "a whole number", "2"),
        _ when ValueType == typeof(AbsolutePath) => new(false, "a path (relative to the repository root)", "\"artifacts/out\""),
        _ when ValueType.IsEnum => new(false, $"one of {string.Join(", ", Enum.GetNames(ValueType))}", $"\"{Enum.GetNames(ValueType).FirstOrDefault()}\""),
        _ => new(false, "a string", "\"text\""),
    };

    public string TypeDisplayName => ValueType switch
    {
        _ when ValueType == typeof(string) => "string",
        _ when ValueType == typeof(bool) => "bool",
        _ when ValueType == typeof(int) => "int",
        _ when ValueType == typeof(string[]) => "string[]",
        _ when ValueType == typeof(AbsolutePath) => "path",
        _ => ValueType.Name,
    };
}
