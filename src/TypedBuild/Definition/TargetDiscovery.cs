using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace TypedBuild.Definition;

/// <summary>
/// Finds the <see cref="Target"/> members of a build class and evaluates each definition once. Targets refer to
/// each other through their getters (<c>DependsOn(Compile)</c>), which may return a new delegate on every call, so
/// references are resolved by delegate equality (same method and same closure target) and, failing that, by the
/// lambda's method alone.
/// </summary>
[SuppressMessage("Major Vulnerability", "S3011", Justification = "Targets are members of any accessibility, as in NUKE.")]
internal static class TargetDiscovery
{
    private const BindingFlags DeclaredMembers =
        BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<ExecutableTarget> Discover(BuildBase build)
    {
        var members = FindTargetMembers(build.GetType());
        var delegates = members.Select(m => ReadDelegate(build, m)).ToList();
        var definitions = new List<TargetDefinition>();
        var targets = new List<ExecutableTarget>();
        for (var i = 0; i < members.Count; i++)
        {
            var definition = new TargetDefinition();
            try
            {
                delegates[i](definition);
            }
            catch (Exception exception)
            {
                throw new UsageException($"The definition of target '{members[i].Name}' threw: {exception.Message}", exception);
            }

            definitions.Add(definition);
            targets.Add(new ExecutableTarget(members[i].Name, i, definition) { Delegate = delegates[i] });
        }

        var resolver = new Resolver(targets);
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var definition = definitions[i];
            target.DependsOn.AddRange(resolver.ResolveAll(definition.DependsOnTargets, target));
            target.DependentFor.AddRange(resolver.ResolveAll(definition.DependentForTargets, target));
            target.After.AddRange(resolver.ResolveAll(definition.AfterTargets, target));
            target.Before.AddRange(resolver.ResolveAll(definition.BeforeTargets, target));
            target.Triggers.AddRange(resolver.ResolveAll(definition.TriggersTargets, target));
            target.TriggeredBy.AddRange(resolver.ResolveAll(definition.TriggeredByTargets, target));
        }

        return targets;
    }

    /// <summary>A member of the build type, named like the target (explicit interface implementations lose their prefix).</summary>
    internal sealed record TargetMember(string Name, MemberInfo Member);

    internal static List<TargetMember> FindTargetMembers(Type buildType)
    {
        var hierarchy = new List<Type>();
        for (var type = buildType; type is not null && type != typeof(BuildBase) && type != typeof(object); type = type.BaseType)
        {
            hierarchy.Insert(0, type);
        }

        var members = new List<TargetMember>();
        foreach (var type in hierarchy)
        {
            var declared = type.GetMembers(DeclaredMembers)
                .Where(IsTargetMember)
                .OrderBy(m => m.MetadataToken);
            foreach (var member in declared)
            {
                AddOrOverride(members, new TargetMember(ShortName(member.Name), member));
            }
        }

        // Targets declared as default members of interfaces the build implements (components).
        foreach (var contract in buildType.GetInterfaces())
        {
            var defaults = contract.GetProperties(DeclaredMembers)
                .Where(p => p.PropertyType == typeof(Target) && p.GetMethod is { IsAbstract: false })
                .OrderBy(p => p.MetadataToken);
            foreach (var property in defaults.Where(p => members.TrueForAll(m => m.Name != p.Name)))
            {
                members.Add(new TargetMember(property.Name, property));
            }
        }

        return members;
    }

    private static void AddOrOverride(List<TargetMember> members, TargetMember member)
    {
        var existing = members.FindIndex(m => m.Name == member.Name);
        if (existing >= 0)
        {
            members[existing] = member;
        }
        else
        {
            members.Add(member);
        }
    }

    private static bool IsTargetMember(MemberInfo member) => member switch
    {
        PropertyInfo property => property.PropertyType == typeof(Target)
            && property.GetMethod is not null
            && property.GetIndexParameters().Length == 0,
        FieldInfo field => field.FieldType == typeof(Target) && !field.Name.Contains('<', StringComparison.Ordinal),
        _ => false,
    };

    private static string ShortName(string memberName) => memberName[(memberName.LastIndexOf('.') + 1)..];

    private static Target ReadDelegate(BuildBase build, TargetMember member)
    {
        var value = member.Member switch
        {
            PropertyInfo property => property.GetValue(property.GetMethod!.IsStatic ? null : build),
            FieldInfo field => field.GetValue(field.IsStatic ? null : build),
            _ => null,
        };
        return value as Target
            ?? throw new UsageException($"Target '{member.Name}' has no definition (its member returned null).");
    }

    /// <summary>The discovered target a <see cref="Target"/> reference (a getter's delegate) stands for, or null.</summary>
    internal static ExecutableTarget? Resolve(IReadOnlyList<ExecutableTarget> targets, Target reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var exact = targets.FirstOrDefault(t => reference.Equals(t.Delegate));
        if (exact is not null)
        {
            return exact;
        }

        var sameMethod = targets.Where(t => t.Delegate?.Method == reference.Method).ToList();
        return sameMethod.Count == 1 ? sameMethod[0] : null;
    }

    private sealed class Resolver(List<ExecutableTarget> targets)
    {
        public IEnumerable<ExecutableTarget> ResolveAll(IEnumerable<Target> references, ExecutableTarget owner)
            => references.Select(reference => Resolve(targets, reference)
                ?? throw new UsageException(
                    $"Target '{owner.Name}' refers to a target that is not a member of the build class, or that several members share " +
                    "(a factory method returning the same lambda). Refer to targets through their own Target members."))
            .Distinct();
    }
}
