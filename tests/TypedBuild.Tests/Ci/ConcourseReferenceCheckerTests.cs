using TypedBuild.Ci.Concourse;

namespace TypedBuild.Tests.Ci;

public sealed class ConcourseReferenceCheckerTests
{
    private const string Broken = """
        resource_types:
          - name: meta
            type: registry-image
            source: {repository: ((image-repo))}
        resources:
          - name: repo
            type: git
            source: {uri: ((git-uri))}
          - name: odd
            type: unheard-of
        groups:
          - name: all
            jobs: [build, ghost]
        jobs:
          - name: build
            plan:
              - get: repo
              - task: t
                config:
                  platform: linux
                  inputs: [{name: repo}, {name: missing-input}]
                  params: {A: ((.:later)), B: ((undeclared))}
                  run: {path: ./build.sh}
              - load_var: later
                file: repo/x
          - name: deploy
            plan:
              - in_parallel:
                  - get: repo
                    passed: [build, nowhere]
                  - get: nothing
                    passed: [build]
              - put: nothing-either
              - across: [{var: item, values: [a]}]
                set_pipeline: p
                file: repo/p.yml
                instance_vars: {x: ((.:item.name)), y: ((.:other))}
        """;

    [Fact]
    public void Every_unresolved_reference_is_reported()
    {
        var problems = ConcourseReferenceChecker.Check(Broken, ["git-uri"]);

        Assert.Equal(
            [
                "group 'all': no job 'ghost'.",
                "job 'build': ((.:later)) is not set by an earlier load_var or across.",
                "job 'build': ((undeclared)) is not a declared variable.",
                "job 'build': task input 'missing-input' is not fetched by an earlier get.",
                "job 'deploy': ((.:other)) is not set by an earlier load_var or across.",
                "job 'deploy': gets 'nothing', which is not a resource.",
                "job 'deploy': passed: 'build' does not get or put 'nothing'.",
                "job 'deploy': passed: 'nowhere' is not a job.",
                "job 'deploy': puts 'nothing-either', which is not a resource.",
                "resource 'odd': type 'unheard-of' is neither a core type nor in resource_types.",
                "resources: ((image-repo)) is not a declared variable.",
            ],
            problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_empty_document_is_a_problem()
        => Assert.Equal(["The pipeline is empty or not a mapping."], ConcourseReferenceChecker.Check("", []));
}
