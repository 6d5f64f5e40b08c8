using System.Text.RegularExpressions;

namespace TypedBuild.Ci;

/// <summary>A pipeline declaration that cannot be written; the message lists every problem.</summary>
public sealed class InvalidCiPipelineException(IReadOnlyList<string> problems)
    : Exception("The CI pipeline declaration is invalid:\n  - " + string.Join("\n  - ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Consistency rules every writer relies on: unique ids, references that resolve, needs declared before use.</summary>
public static partial class CiPipelineValidator
{
    public static IReadOnlyList<string> Validate(CiPipeline pipeline, IEnumerable<string>? knownTargets = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var problems = new List<string>();
        var targets = knownTargets?.ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, CiJob>(StringComparer.Ordinal);
        if (pipeline.Jobs.Count == 0)
        {
            problems.Add("The pipeline has no jobs: add at least one CiJob.");
        }

        foreach (var job in pipeline.Jobs)
        {
            problems.AddRange(ValidateJob(pipeline, job, seen, targets).Select(p => $"Job '{job.Id}': {p}"));
            seen[job.Id] = job;
        }

        foreach (var artifact in pipeline.Artifacts.Where(a => a.Paths.Count == 0))
        {
            problems.Add($"Artifact '{artifact.Name}' has no paths.");
        }

        return problems;
    }

    public static void ThrowIfInvalid(CiPipeline pipeline, IEnumerable<string>? knownTargets = null)
    {
        var problems = Validate(pipeline, knownTargets);
        if (problems.Count > 0)
        {
            throw new InvalidCiPipelineException(problems);
        }
    }

    private static IEnumerable<string> ValidateJob(CiPipeline pipeline, CiJob job, Dictionary<string, CiJob> earlier, HashSet<string>? targets)
    {
        if (!KebabCase().IsMatch(job.Id))
        {
            yield return "the id must be kebab-case (letters, digits, '-'), e.g. 'deploy-dev'.";
        }

        if (earlier.ContainsKey(job.Id))
        {
            yield return "the id is used twice; job ids must be unique.";
        }

        if (job.Targets.Count == 0)
        {
            yield return "no targets: a job runs at least one target.";
        }

        foreach (var target in job.Targets.Where(t => targets is not null && !targets.Contains(t)))
        {
            yield return $"unknown target '{target}'. Known targets: {string.Join(", ", targets!.Order(StringComparer.Ordinal))}.";
        }

        foreach (var need in job.Needs.Where(n => !earlier.ContainsKey(n)))
        {
            yield return $"needs '{need}', which is not declared before it. Declare jobs in the order they run.";
        }

        foreach (var secret in job.Secrets.Where(s => pipeline.Secrets.All(d => d.Name != s)))
        {
            yield return $"uses secret '{secret}', which is not in the pipeline's Secrets.";
        }

        foreach (var environment in EnvironmentsOf(job).Where(e => pipeline.Environment(e) is null))
        {
            yield return $"deploys to environment '{environment}', which is not in the pipeline's Environments.";
        }

        foreach (var artifact in job.Produces.Concat(job.Consumes).Where(a => pipeline.Artifacts.All(d => d.Name != a)).Distinct())
        {
            yield return $"uses artifact '{artifact}', which is not in the pipeline's Artifacts.";
        }

        var upstream = Upstream(job, earlier);
        foreach (var artifact in job.Consumes.Where(a => !upstream.Exists(u => u.Produces.Contains(a))))
        {
            yield return $"consumes artifact '{artifact}', but no job it needs (directly or not) produces it.";
        }

        if (job.Triggers.Count == 0 && job.Dispatch is null)
        {
            yield return "no triggers and no dispatch: it would never run.";
        }

        if (pipeline.Environment(job.Environment) is { Protected: true } guarded && !job.RequiresApproval)
        {
            yield return $"deploys to protected environment '{guarded.Name}' without RequiresApproval: it would run unapproved.";
        }

        if (pipeline.ApprovalVariable is { } approval && job.Variables.ContainsKey(approval))
        {
            yield return $"sets {approval} itself; the writers set it only behind a protected environment's approval gate.";
        }

        if (job.Dispatch is not null && job.Environment is not null)
        {
            yield return "a dispatched job chooses its environment from Dispatch.Environments; leave Environment empty.";
        }

        foreach (var problem in JobImageProblems(pipeline, job, upstream))
        {
            yield return problem;
        }
    }

    /// <summary>The job image exists before a job runs in it: its builder has an engine, and every other job waits for the builder.</summary>
    private static IEnumerable<string> JobImageProblems(CiPipeline pipeline, CiJob job, List<CiJob> upstream)
    {
        if (job.BuildsJobImage && pipeline.JobImage is null)
        {
            yield return "builds the job image, but the pipeline declares no JobImage.";
        }

        if (job.BuildsJobImage && !job.UsesDocker)
        {
            yield return "builds the job image, so it needs a Docker engine: set UsesDocker.";
        }

        if (pipeline.JobImage is null || job.BuildsJobImage)
        {
            yield break;
        }

        var builders = pipeline.Jobs.Where(j => j.BuildsJobImage).ToList();
        if (builders.Count == 0 && job == pipeline.Jobs[0])
        {
            yield return "the pipeline declares a JobImage but no job builds it: add a job with BuildsJobImage.";
        }

        var containerised = job.Systems.Where(s => s != CiSystem.GitHubActions);
        if (containerised.Any() && builders.Count > 0 && !upstream.Exists(u => u.BuildsJobImage))
        {
            yield return $"runs in the job image on {string.Join(" and ", containerised)}, but does not need '{builders[0].Id}' (directly or not), which builds it.";
        }
    }

    private static IEnumerable<string> EnvironmentsOf(CiJob job)
        => (job.Environment is null ? [] : new[] { job.Environment }).Concat(job.Dispatch?.Environments ?? []);

    private static List<CiJob> Upstream(CiJob job, Dictionary<string, CiJob> earlier)
    {
        var result = new List<CiJob>();
        var pending = new Stack<string>(job.Needs);
        while (pending.TryPop(out var id))
        {
            if (earlier.TryGetValue(id, out var need) && !result.Contains(need))
            {
                result.Add(need);
                need.Needs.ToList().ForEach(pending.Push);
            }
        }

        return result;
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();
}
