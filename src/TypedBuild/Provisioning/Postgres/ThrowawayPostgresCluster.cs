using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TypedBuild.Provisioning.Postgres;

/// <summary>
/// A PostgreSQL cluster made from the installed server binaries for one test run or one build: initialised in a
/// temporary directory, started on a free loopback port with durability switched off (it is thrown away),
/// trust authentication for the superuser <c>app</c>, and stopped and deleted on dispose.
/// </summary>
/// <remarks>
/// Uses only the BCL so that any project (tests, scripts, the build) can compile this file in without dependencies.
/// PostgreSQL refuses to run as root, so when the process is root the server runs as the <c>postgres</c> user.
/// </remarks>
public sealed class ThrowawayPostgresCluster : IAsyncDisposable
{
    public const string SuperUser = "app";

    private const string InstallHint = "install the PostgreSQL server binaries: apt-get install postgresql";
    private const string PostgresRoot = "/usr/lib/postgresql";
    private const string ServiceAccount = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly bool _runAsServiceAccount;
    private int _disposed;

    private ThrowawayPostgresCluster(string binDirectory, string rootDirectory, int port, bool runAsServiceAccount)
    {
        _binDirectory = binDirectory;
        RootDirectory = rootDirectory;
        _dataDirectory = Path.Combine(rootDirectory, "data");
        Port = port;
        _runAsServiceAccount = runAsServiceAccount;
    }

    /// <summary>The temporary directory holding the data directory, the server log and the Unix socket.</summary>
    public string RootDirectory { get; }

    public int Port { get; }

    /// <summary>Npgsql connection string for the <c>postgres</c> database as superuser <c>app</c>.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>Finds the newest installed PostgreSQL, initialises a cluster and starts it.</summary>
    /// <exception cref="InvalidOperationException">The server binaries are missing or the server did not start.</exception>
    public static async Task<ThrowawayPostgresCluster> StartAsync(CancellationToken ct = default)
    {
        var binDirectory = FindNewestBinDirectory();
        var runAsServiceAccount = Environment.IsPrivilegedProcess;
        var root = Directory.CreateTempSubdirectory("throwaway-postgres-").FullName;
        var cluster = new ThrowawayPostgresCluster(binDirectory, root, LoopbackPorts.Free(), runAsServiceAccount);
        try
        {
            if (runAsServiceAccount)
            {
                await RunAsync("chown", [$"{ServiceAccount}:{ServiceAccount}", root], ct).ConfigureAwait(false);
            }

            await cluster.RunServerToolAsync("initdb",
            [
                "-D", cluster._dataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
            ], ct).ConfigureAwait(false);
            await cluster.RunServerToolAsync("pg_ctl",
            [
                "-D", cluster._dataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                "-o", string.Join(' ',
                    $"-h 127.0.0.1 -p {cluster.Port.ToString(CultureInfo.InvariantCulture)} -k {root}",
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"),
                "start",
            ], ct).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connection string for another database of this cluster.</summary>
    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={SuperUser};Database={database}";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await RunAsync(Path.Combine(_binDirectory, "createdb"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser, name], ct)
            .ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server at once (the data is thrown away) and deletes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
            {
                await RunServerToolAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None)
                    .ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
    }

    /// <summary>Whether PostgreSQL server binaries are installed (what <see cref="StartAsync"/> needs).</summary>
    public static bool IsInstalled => FindBinDirectories().Count > 0;

    private static string FindNewestBinDirectory() =>
        FindBinDirectories().FirstOrDefault() ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries (initdb, pg_ctl) found under {PostgresRoot}/*/bin; {InstallHint}.");

    private static List<string> FindBinDirectories() =>
        Directory.Exists(PostgresRoot)
            ? Directory.GetDirectories(PostgresRoot)
                .Select(dir => (Dir: dir, Version: Version.TryParse(NormalizeVersion(Path.GetFileName(dir)), out var v) ? v : null))
                .Where(c => c.Version is not null && File.Exists(Path.Combine(c.Dir, "bin", "initdb")) && File.Exists(Path.Combine(c.Dir, "bin", "pg_ctl")))
                .OrderByDescending(c => c.Version)
                .Select(c => Path.Combine(c.Dir, "bin"))
                .ToList()
            : [];

    // Directory names are "15" or "9.6"; Version needs at least major.minor.
    private static string NormalizeVersion(string name) => name.Contains('.', StringComparison.Ordinal) ? name : name + ".0";

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return _runAsServiceAccount
            ? RunAsync("runuser", ["-u", ServiceAccount, "--", executable, .. arguments], ct)
            : RunAsync(executable, arguments, ct);
    }

    private static async Task RunAsync(string executable, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A server started by pg_ctl inherits these; a working directory the service account cannot read breaks it.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Cannot start '{executable}': {ex.Message}; {InstallHint}.", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            throw new InvalidOperationException(
                $"'{executable} {string.Join(' ', arguments)}' exited with code {process.ExitCode}:{Environment.NewLine}{text}");
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
