using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace TypedBuild.Ci.Concourse;

/// <summary>
/// The checks <c>fly validate-pipeline</c> would make on references, for machines without fly: every <c>((var))</c> is
/// declared, every local <c>((.:var))</c> is set earlier in its job (<c>load_var</c>, <c>across</c>), every
/// <c>passed:</c> job exists and gets the same resource, every resource and resource type used is declared, every task
/// input is fetched by the job, and every grouped job exists.
/// </summary>
public static partial class ConcourseReferenceChecker
{
    /// <summary>Resource types every Concourse installation ships.</summary>
    public static IReadOnlyList<string> CoreResourceTypes { get; } = ["git", "registry-image", "time", "s3", "semver", "mock", "docker-image", "pool", "github-release"];

    /// <summary>The problems of one pipeline file; empty when every reference resolves.</summary>
    /// <param name="yaml">The pipeline file's text.</param>
    /// <param name="variables">The <c>((vars))</c> the credential manager (or <c>fly -v</c>, or instance vars) provides.</param>
    public static IReadOnlyList<string> Check(string yaml, IEnumerable<string> variables)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return ["The pipeline is empty or not a mapping."];
        }

        var declared = variables.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        var types = Names(root, "resource_types").Concat(CoreResourceTypes).ToHashSet(StringComparer.Ordinal);
        var resources = Items(root, "resources").ToDictionary(r => Text(r, "name") ?? "", r => r, StringComparer.Ordinal);
        foreach (var (name, resource) in resources)
        {
            if (Text(resource, "type") is { } type && !types.Contains(type))
            {
                problems.Add($"resource '{name}': type '{type}' is neither a core type nor in resource_types.");
            }
        }

        var jobs = Items(root, "jobs").ToDictionary(j => Text(j, "name") ?? "", j => j, StringComparer.Ordinal);
        foreach (var (name, job) in jobs)
        {
            problems.AddRange(CheckJob(job, jobs, resources.Keys.ToHashSet(StringComparer.Ordinal), declared).Select(p => $"job '{name}': {p}"));
        }

        foreach (var group in Items(root, "groups"))
        {
            problems.AddRange(Strings(group, "jobs").Where(j => !jobs.ContainsKey(j)).Select(j => $"group '{Text(group, "name")}': no job '{j}'."));
        }

        problems.AddRange(Variables(root, "resources").Concat(Variables(root, "resource_types"))
            .Where(v => !v.StartsWith('.') && !declared.Contains(v))
            .Distinct()
            .Select(v => $"resources: (({v})) is not a declared variable."));
        return problems;
    }

    private static IEnumerable<string> CheckJob(YamlMappingNode job, Dictionary<string, YamlMappingNode> jobs, HashSet<string> resources, HashSet<string> declared)
    {
        var locals = new HashSet<string>(StringComparer.Ordinal);
        var fetched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in Steps(job))
        {
            foreach (var across in Items(step, "across"))
            {
                locals.Add(Text(across, "var") ?? "");
            }

            foreach (var variable in AllVariables(step))
            {
                if (variable.StartsWith(".:", StringComparison.Ordinal) ? !locals.Contains(variable[2..].Split('.')[0]) : !declared.Contains(variable))
                {
                    yield return $"(({variable})) is not {(variable.StartsWith('.') ? "set by an earlier load_var or across" : "a declared variable")}.";
                }
            }

            if (Text(step, "get") is { } get)
            {
                fetched.Add(get);
                if (!resources.Contains(get))
                {
                    yield return $"gets '{get}', which is not a resource.";
                }

                foreach (var passed in Strings(step, "passed"))
                {
                    if (!jobs.TryGetValue(passed, out var upstream))
                    {
                        yield return $"passed: '{passed}' is not a job.";
                    }
                    else if (!Steps(upstream).Any(s => Text(s, "get") == get || Text(s, "put") == get))
                    {
                        yield return $"passed: '{passed}' does not get or put '{get}'.";
                    }
                }
            }

            if (Text(step, "put") is { } put && !resources.Contains(put))
            {
                yield return $"puts '{put}', which is not a resource.";
            }

            if (step.Children.TryGetValue(new YamlScalarNode("config"), out var config) && config is YamlMappingNode taskConfig)
            {
                foreach (var input in Items(taskConfig, "inputs").Select(i => Text(i, "name")).Where(i => i is not null && !fetched.Contains(i)))
                {
                    yield return $"task input '{input}' is not fetched by an earlier get.";
                }
            }

            if (Text(step, "load_var") is { } loaded)
            {
                locals.Add(loaded);
            }
        }
    }

    /// <summary>A job's steps in order, including those nested in <c>in_parallel</c>, <c>do</c> and hooks.</summary>
    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job)
    {
        foreach (var step in Items(job, "plan"))
        {
            foreach (var nested in Flatten(step))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Flatten(YamlMappingNode step)
    {
        yield return step;
        foreach (var key in new[] { "do", "in_parallel" })
        {
            if (step.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                var children = node is YamlMappingNode parallel && parallel.Children.TryGetValue(new YamlScalarNode("steps"), out var steps) ? steps : node;
                foreach (var child in (children as YamlSequenceNode)?.OfType<YamlMappingNode>() ?? [])
                {
                    foreach (var nested in Flatten(child))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }

    /// <summary>The variables a step uses, in the step itself (not in steps nested in it, which are visited separately).</summary>
    private static IEnumerable<string> AllVariables(YamlMappingNode step)
        => step.Children.Where(c => ((YamlScalarNode)c.Key).Value is not ("do" or "in_parallel")).SelectMany(c => ScalarsOf(c.Value))
            .SelectMany(text => VariablePattern().Matches(text).Select(m => m.Groups[1].Value.Trim()));

    private static IEnumerable<string> Variables(YamlMappingNode root, string key)
        => root.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? ScalarsOf(node).SelectMany(text => VariablePattern().Matches(text).Select(m => m.Groups[1].Value.Trim()))
            : [];

    private static IEnumerable<string> ScalarsOf(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence => sequence.SelectMany(ScalarsOf),
        YamlMappingNode mapping => mapping.Children.SelectMany(c => ScalarsOf(c.Key).Concat(ScalarsOf(c.Value))),
        _ => [],
    };

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? sequence.OfType<YamlMappingNode>()
            : [];

    private static IEnumerable<string> Strings(YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? sequence.OfType<YamlScalarNode>().Select(s => s.Value ?? "")
            : [];

    private static IEnumerable<string> Names(YamlMappingNode root, string key) => Items(root, key).Select(i => Text(i, "name") ?? "");

    private static string? Text(YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    [GeneratedRegex(@"\(\(([^()]+)\)\)")]
    private static partial Regex VariablePattern();
}
