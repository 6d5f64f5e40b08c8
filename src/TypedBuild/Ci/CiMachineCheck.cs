using TypedBuild.Planning;

namespace TypedBuild.Ci;

/// <summary>
/// Checks, before any job runs, that each job's machine on each host can give every target the job plans the tools it
/// requires: a job whose image lacks Helm fails generation (and so the drift check in Lint), not its first run.
/// </summary>
public static class CiMachineCheck
{
    public static IReadOnlyList<string> Problems(
        CiPipeline pipeline,
        IEnumerable<ICiWriter> writers,
        Func<IReadOnlyList<string>, bool, IReadOnlyList<TargetRequirements>> requirementsOfCall)
    {
        if (pipeline.Machines is null)
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var system in writers.Select(writer => writer.System))
        {
            foreach (var job in pipeline.JobsFor(system))
            {
                var machine = pipeline.Machines(system, job);
                problems.AddRange(requirementsOfCall(job.Targets, job.SkipOtherTargets)
                    .SelectMany(target => target.Tools.Select(tool => (target.Target, Tool: tool, Why: tool.UnmetOn(machine))))
                    .Where(unmet => unmet.Why is not null)
                    .Select(unmet => $"{DisplayName(system)} job '{job.Id}': target '{unmet.Target}' requires {unmet.Tool.Name}, but on {machine.Description} {unmet.Why}. "
                        + "Provide it there (the image, the runner, UsesDocker) or move the target to a job whose machine has it."));
            }
        }

        return problems.Distinct().ToList();
    }

    public static string DisplayName(CiSystem system) => system switch
    {
        CiSystem.GitHubActions => "GitHub Actions",
        CiSystem.GitLab => "GitLab CI",
        _ => system.ToString(),
    };
}
