using TypedBuild.Notifications.Slack;
using TypedBuild.Notifications.Slack.Blocks;
using TypedBuild.Tests.Processes;
using static TypedBuild.Tests.Notifications.SlackResults;

namespace TypedBuild.Tests.Notifications;

public sealed class SlackBuildMessagesTests
{
    private static readonly SlackNotifierOptions Options = new() { DeployTargets = ["Deploy"], AnnounceDeploys = true, Version = () => "1.4.0", ErrorLines = 3 };

    private static string AllText(SlackMessage message) => message.ToJson();

    private static List<string> Fields(SlackMessage message)
        => message.Blocks.OfType<SectionBlock>().First(s => s.Fields is not null).Fields!.Select(f => f.Text).ToList();

    [Fact]
    public void A_failure_names_repository_ref_commit_author_target_ci_and_duration()
    {
        var result = Build(new FakeHost(), "dev", Target("Compile", TargetStatus.Succeeded), Target("Deploy", TargetStatus.Failed, "boom"));

        var message = SlackBuildMessages.For(result, Options, new FakeSecretMasker())!;

        Assert.Equal(":x: acme/users: Deploy failed", Assert.IsType<HeaderBlock>(message.Blocks[0]).Text.Text);
        Assert.Equal(
            [
                "*Repository*\nacme/users",
                "*Branch*\nfeature/login",
                "*Commit*\n`0123456` Add &lt;login&gt; &amp; logout",
                "*Author*\nAda Lovelace",
                "*Failed target*\n`Deploy`",
                "*Environment*\ndev",
                "*CI*\nGitHub Actions #128",
                "*Duration*\n1:35",
            ],
            Fields(message));
        Assert.Equal("acme/users: Deploy failed on feature/login (GitHub Actions #128)", message.Text);
        var button = Assert.IsType<ActionsBlock>(message.Blocks[^1]).Elements[0];
        Assert.Equal("https://github.com/acme/users/actions/runs/128", button.Url);
    }

    [Fact]
    public void The_error_tail_keeps_the_last_lines_masked_and_escaped()
    {
        var error = "line 1\nline 2 <tag>\npassword hunter22 leaked\nline 4";
        var result = Build(new FakeHost { Tag = "v1.4.0" }, null, Target("Test", TargetStatus.Failed, error), Target("Lint", TargetStatus.Failed, "lint"));

        var message = SlackBuildMessages.For(result, Options, new FakeSecretMasker("hunter22"))!;
        var tail = message.Blocks.OfType<SectionBlock>().Single(s => s.Text is not null).Text!.Text;

        Assert.Equal("*Last lines of the error in `Test`*\n```\nline 2 &lt;tag&gt;\npassword *** leaked\nline 4\n```", tail);
        Assert.DoesNotContain("hunter22", AllText(message), StringComparison.Ordinal);
        Assert.Contains("*Tag*\nv1.4.0", Fields(message));
        Assert.DoesNotContain(Fields(message), f => f.StartsWith("*Environment*", StringComparison.Ordinal));
        Assert.Contains("also failed: `Lint`", Assert.IsType<ContextBlock>(message.Blocks[3]).Elements[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_facts_and_a_huge_error_are_masked_and_kept_within_a_section()
    {
        var host = new FakeHost { CommitSubject = "rotate token s3cr3t-value", PullRequestNumber = "17", RunUrl = "not a url", Repository = null };
        var error = string.Join('\n', Enumerable.Range(0, 10).Select(i => new string('x', 2000) + i));
        var result = Build(host, null, Target("Test", TargetStatus.Failed, error));

        var message = SlackBuildMessages.For(result, Options with { ErrorLines = 5 }, new FakeSecretMasker("s3cr3t-value"))!;
        var tail = message.Blocks.OfType<SectionBlock>().Single(s => s.Text is not null).Text!.Text;

        Assert.True(tail.Length <= SlackLimits.SectionText);
        Assert.EndsWith("xxx9\n```", tail, StringComparison.Ordinal);
        Assert.Contains("*Pull request*\nfeature/login (#17)", Fields(message));
        Assert.Contains("*Commit*\n`0123456` rotate token ***", Fields(message));
        Assert.Equal(":x: repository: Test failed", ((HeaderBlock)message.Blocks[0]).Text.Text);
        Assert.DoesNotContain(message.Blocks, b => b is ActionsBlock);
    }

    [Fact]
    public void A_successful_deploy_is_announced_with_environment_version_and_notes()
    {
        var result = Build(new FakeHost { Tag = "v1.4.0" }, "prod", Target("Push", TargetStatus.Succeeded, null, ("Digest", "sha256:abc")), Target("Deploy", TargetStatus.Succeeded, null, ("Revision", "7")));

        var message = SlackBuildMessages.For(result, Options, new FakeSecretMasker())!;

        Assert.Equal(":rocket: acme/users deployed to prod", ((HeaderBlock)message.Blocks[0]).Text.Text);
        Assert.Equal(["*Environment*\nprod", "*Version*\n1.4.0", "*Tag*\nv1.4.0", "*Commit*\n`0123456` Add &lt;login&gt; &amp; logout", "*Digest*\n`sha256:abc`", "*Revision*\n`7`"], Fields(message));
        Assert.Equal("`Deploy` by Ada Lovelace on GitHub Actions #128 in 1:35", ((ContextBlock)message.Blocks[2]).Elements[0].Text);
    }

    [Fact]
    public void Nothing_is_posted_for_other_successes_or_when_announcements_are_off()
    {
        var build = Build(new FakeHost(), null, Target("Compile", TargetStatus.Succeeded));
        var deploy = Build(new FakeHost(), "dev", Target("Deploy", TargetStatus.Succeeded));

        Assert.Null(SlackBuildMessages.For(build, Options, new FakeSecretMasker()));
        Assert.Null(SlackBuildMessages.For(deploy, Options with { AnnounceDeploys = false }, new FakeSecretMasker()));
        var withoutVersion = SlackBuildMessages.For(deploy, Options with { Version = () => throw new InvalidOperationException("no git") }, new FakeSecretMasker())!;
        Assert.DoesNotContain(Fields(withoutVersion), f => f.StartsWith("*Version*", StringComparison.Ordinal));
    }
}
