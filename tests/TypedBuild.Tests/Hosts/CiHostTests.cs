using TypedBuild.Hosts;

namespace TypedBuild.Tests.Hosts;

public sealed class CiHostTests(TempGitRepository repository) : IClassFixture<TempGitRepository>, IDisposable
{
    private readonly StringWriter _output = new();

    [Theory]
    [InlineData(null, CiHostKind.Local)]
    [InlineData("GITHUB_ACTIONS", CiHostKind.GitHubActions)]
    [InlineData("GITLAB_CI", CiHostKind.GitLab)]
    [InlineData("CONCOURSE_CI", CiHostKind.Concourse)]
    public void Detects_the_host_from_its_variable(string? variable, CiHostKind expected)
    {
        var environment = variable is null ? Environment() : Environment((variable, "true"));

        Assert.Equal(expected, CiHostDetector.Detect(environment, repository.Root, null).Kind);
    }

    [Fact]
    public void Detection_order_is_github_gitlab_concourse()
    {
        Assert.Equal(CiHostKind.GitHubActions, Detect(("CONCOURSE_CI", "true"), ("GITLAB_CI", "true"), ("GITHUB_ACTIONS", "true")).Kind);
        Assert.Equal(CiHostKind.GitLab, Detect(("CONCOURSE_CI", "true"), ("GITLAB_CI", "true")).Kind);
        Assert.Equal(CiHostKind.Local, Detect(("GITHUB_ACTIONS", "false")).Kind);
    }

    [Theory]
    [InlineData("local", CiHostKind.Local)]
    [InlineData("GitHub", CiHostKind.GitHubActions)]
    [InlineData("gitlab", CiHostKind.GitLab)]
    [InlineData("concourse", CiHostKind.Concourse)]
    public void Host_option_overrides_detection(string name, CiHostKind expected)
        => Assert.Equal(expected, CiHostDetector.Detect(Environment(("GITLAB_CI", "true")), repository.Root, name).Kind);

    [Fact]
    public void Unknown_host_name_lists_the_valid_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => CiHostDetector.Detect(Environment(), repository.Root, "jenkins"));

        Assert.Contains("'jenkins'", error.Message, StringComparison.Ordinal);
        Assert.Contains("local, github, gitlab, concourse", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_host_reads_commit_facts_from_git()
    {
        var host = Detect(("USER", "grace"));

        Assert.False(host.IsServerBuild);
        Assert.Equal("feature/x", host.Branch);
        Assert.Equal("v1.2.3", host.Tag);
        Assert.Equal(repository.Commit, host.Commit);
        Assert.Equal("Add the engine, with care", host.CommitSubject);
        Assert.Equal("Ada Lovelace", host.CommitAuthor);
        Assert.Equal("acme/widgets", host.Repository);
        Assert.Equal("grace", host.Actor);
        Assert.Null(host.RunUrl);
    }

    [Fact]
    public void Local_host_outside_git_has_no_commit_facts()
    {
        var empty = AbsolutePath.Create(Directory.CreateTempSubdirectory("tb-nogit-").FullName);
        try
        {
            var host = CiHostDetector.Detect(Environment(), empty, "local");

            Assert.Null(host.Commit);
            Assert.Null(host.Branch);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Local_groups_are_header_lines()
    {
        var host = Detect();

        host.BeginGroup("Compile");
        host.EndGroup("Compile");
        host.Annotate(AnnotationLevel.Error, "boom");

        Assert.StartsWith("━━━ Compile ━━━", _output.ToString().Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("boom", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GitHub_push_facts_come_from_runner_variables()
    {
        var host = Detect(
            ("GITHUB_ACTIONS", "true"), ("GITHUB_REF", "refs/heads/main"), ("GITHUB_REF_NAME", "main"), ("GITHUB_REF_TYPE", "branch"),
            ("GITHUB_SHA", "abc123"), ("GITHUB_RUN_NUMBER", "42"), ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/service"), ("GITHUB_RUN_ID", "9001"), ("GITHUB_ACTOR", "octocat"));

        Assert.True(host.IsServerBuild);
        Assert.Equal("main", host.Branch);
        Assert.Null(host.Tag);
        Assert.Equal("abc123", host.Commit);
        Assert.Equal("42", host.BuildNumber);
        Assert.Equal("https://github.com/acme/service/actions/runs/9001", host.RunUrl);
        Assert.Equal("octocat", host.Actor);
        Assert.Equal("acme/service", host.Repository);
        Assert.Null(host.PullRequestNumber);
        Assert.Equal("Add the engine, with care", host.CommitSubject);
    }

    [Fact]
    public void GitHub_pull_request_and_tag_builds()
    {
        var pullRequest = Detect(
            ("GITHUB_ACTIONS", "true"), ("GITHUB_REF", "refs/pull/17/merge"), ("GITHUB_REF_NAME", "17/merge"),
            ("GITHUB_REF_TYPE", "branch"), ("GITHUB_HEAD_REF", "feature/login"));
        var tag = Detect(("GITHUB_ACTIONS", "true"), ("GITHUB_REF", "refs/tags/v2.0.0"), ("GITHUB_REF_NAME", "v2.0.0"), ("GITHUB_REF_TYPE", "tag"));

        Assert.Equal("17", pullRequest.PullRequestNumber);
        Assert.Equal("feature/login", pullRequest.Branch);
        Assert.Equal("v2.0.0", tag.Tag);
        Assert.Null(tag.Branch);
    }

    [Fact]
    public void GitHub_workflow_commands_are_escaped()
    {
        var host = Detect(("GITHUB_ACTIONS", "true"));

        host.BeginGroup("Compile");
        host.Annotate(AnnotationLevel.Error, "50% done\nthen failed", "src/a,b:c.cs", 12);
        host.Annotate(AnnotationLevel.Warning, "careful");
        host.Annotate(AnnotationLevel.Notice, "fyi", line: 3);
        host.RegisterSecret("pa%ss\nword");
        host.EndGroup("Compile");

        Assert.Equal(
            [
                "::group::Compile",
                "::error file=src/a%2Cb%3Ac.cs,line=12::50%25 done%0Athen failed",
                "::warning::careful",
                "::notice line=3::fyi",
                "::add-mask::pa%25ss%0Aword",
                "::add-mask::pa%25ss",
                "::add-mask::word",
                "::endgroup::",
            ],
            Lines());
    }

    [Fact]
    public void GitHub_job_summary_is_appended_to_the_step_summary_file()
    {
        var summary = Path.Combine(repository.Root, $"summary-{Guid.NewGuid():N}.md");
        File.WriteAllText(summary, "# Earlier step\n");
        var host = Detect(("GITHUB_ACTIONS", "true"), ("GITHUB_STEP_SUMMARY", summary));

        host.AppendJobSummary("| Target | Status |");

        Assert.Equal("# Earlier step\n| Target | Status |\n", File.ReadAllText(summary));
        File.Delete(summary);
    }

    [Fact]
    public void GitLab_facts_come_from_predefined_variables()
    {
        var host = Detect(
            ("GITLAB_CI", "true"), ("CI_COMMIT_REF_NAME", "main"), ("CI_COMMIT_BRANCH", "main"), ("CI_COMMIT_SHA", "def456"),
            ("CI_COMMIT_TITLE", "Ship it"), ("CI_COMMIT_AUTHOR", "Grace Hopper <grace@example.com>"), ("CI_PIPELINE_IID", "7"),
            ("CI_JOB_URL", "https://gitlab.example.com/acme/service/-/jobs/55"), ("GITLAB_USER_LOGIN", "grace"),
            ("CI_PROJECT_PATH", "acme/service"));
        var mergeRequest = Detect(("GITLAB_CI", "true"), ("CI_COMMIT_REF_NAME", "feature/y"), ("CI_MERGE_REQUEST_IID", "12"));
        var tag = Detect(("GITLAB_CI", "true"), ("CI_COMMIT_REF_NAME", "v3.0.0"), ("CI_COMMIT_TAG", "v3.0.0"));

        Assert.Equal("main", host.Branch);
        Assert.Equal("def456", host.Commit);
        Assert.Equal("Ship it", host.CommitSubject);
        Assert.Equal("Grace Hopper", host.CommitAuthor);
        Assert.Equal("7", host.BuildNumber);
        Assert.Equal("https://gitlab.example.com/acme/service/-/jobs/55", host.RunUrl);
        Assert.Equal("grace", host.Actor);
        Assert.Equal("acme/service", host.Repository);
        Assert.Equal("feature/y", mergeRequest.Branch);
        Assert.Equal("12", mergeRequest.PullRequestNumber);
        Assert.Equal("v3.0.0", tag.Tag);
        Assert.Null(tag.Branch);
    }

    [Fact]
    public void GitLab_groups_are_collapsed_sections_and_annotations_are_silent()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var host = new GitLabHost(Environment(("GITLAB_CI", "true")), repository.Root, _output, clock);

        host.BeginGroup("Docker Build");
        host.Annotate(AnnotationLevel.Error, "boom");
        host.RegisterSecret("s3cret");
        host.EndGroup("Docker Build");

        Assert.Equal(
            [
                "\u001b[0Ksection_start:1700000000:docker_build[collapsed=true]\r\u001b[0KDocker Build",
                "\u001b[0Ksection_end:1700000000:docker_build\r\u001b[0K",
            ],
            Lines());
    }

    [Fact]
    public void Concourse_facts_come_from_pipeline_variables_and_git()
    {
        var host = Detect(
            ("CONCOURSE_CI", "true"), ("CONCOURSE_URL", "https://ci.example.com/"), ("CONCOURSE_TEAM", "main"),
            ("CONCOURSE_PIPELINE", "example-service"), ("CONCOURSE_JOB", "test"), ("CONCOURSE_BUILD_NAME", "31"),
            ("CONCOURSE_BRANCH", "main"));

        Assert.Equal("Concourse", host.DisplayName);
        Assert.Equal("main", host.Branch);
        Assert.Equal("31", host.BuildNumber);
        Assert.Equal("https://ci.example.com/teams/main/pipelines/example-service/jobs/test/builds/31", host.RunUrl);
        Assert.Equal(repository.Commit, host.Commit);
        Assert.Equal("Ada Lovelace", host.CommitAuthor);
    }

    [Theory]
    [InlineData("https://github.com/acme/widgets.git", "acme/widgets")]
    [InlineData("git@gitlab.com:group/sub/project.git", "sub/project")]
    [InlineData("https://gitlab.example.com/acme/service/", "acme/service")]
    public void Repository_name_is_read_from_the_remote_url(string url, string expected)
        => Assert.Equal(expected, GitInfo.RepositoryFromRemote(url));

    private ICiHost Detect(params (string Name, string Value)[] variables)
        => CiHostDetector.Detect(Environment(variables), repository.Root, null, _output);

    private static Dictionary<string, string?> Environment(params (string Name, string Value)[] variables)
        => variables.ToDictionary(v => v.Name, v => (string?)v.Value);

    private string[] Lines() => _output.ToString().Split(System.Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    public void Dispose() => _output.Dispose();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
