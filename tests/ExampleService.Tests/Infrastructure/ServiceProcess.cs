using System.Diagnostics;
using System.Text;

namespace ExampleService.Tests.Infrastructure;

/// <summary>The built service run as its own process (<c>dotnet ExampleService.dll</c>), as an operator runs it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, string workingDirectory)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
    }

    /// <summary>A fresh directory the process runs in (its content root); deleted on dispose.</summary>
    public string WorkingDirectory { get; }

    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServiceProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("example-service-process-").FullName;
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExampleService.dll"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        startInfo.Environment["Authentication__ApiKeys__0__Id"] = "tests-full";
        startInfo.Environment["Authentication__ApiKeys__0__Sha256"] = TestCredentials.Sha256(TestCredentials.FullKey);
        startInfo.Environment["Authentication__ApiKeys__0__Scopes"] = TestCredentials.BothScopes;
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var service = new ServiceProcess(process, directory);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200 (or the process ends, or a minute passes).</summary>
    public async Task WaitUntilHealthyAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy starting to answer in time: ask again
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The service did not become healthy at {url}. Output:{Environment.NewLine}{Output}");
    }

    /// <summary>Sends SIGTERM, as Kubernetes does to stop a pod.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(WorkingDirectory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
