using System.Diagnostics;

namespace TypedBuild.Tests.Hosts;

/// <summary>A throwaway git repository with one commit on branch <c>feature/x</c>, tagged <c>v1.2.3</c>.</summary>
public sealed class TempGitRepository : IDisposable
{
    public TempGitRepository()
    {
        Root = AbsolutePath.Create(Directory.CreateTempSubdirectory("tb-git-").FullName);
        Git("init", "-q", "-b", "feature/x");
        Git("config", "user.email", "ada@example.com");
        Git("config", "user.name", "Ada Lovelace");
        Git("config", "commit.gpgsign", "false");
        Git("remote", "add", "origin", "git@github.com:acme/widgets.git");
        File.WriteAllText(Root / "README.md", "hello");
        Git("add", ".");
        Git("commit", "-q", "-m", "Add the engine, with care");
        Git("tag", "v1.2.3");
        Commit = Git("rev-parse", "HEAD");
    }

    public AbsolutePath Root { get; }

    public string Commit { get; }

    public string Git(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {error}");
        return output.Trim();
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
