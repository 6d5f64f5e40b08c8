using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExampleService.Build.Delivery.Helm;
using k8s;
using k8s.Models;
using TypedBuild;
using TypedBuild.Processes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The chart's <c>helm test</c> scripts, rendered by Helm and run with sh and curl against the real service on
/// 127.0.0.1 (rendered with the service's address in place of the in-cluster Service name): readiness, then the
/// create-read-delete round trip, with the API key the service demands (it knows only the key's hash).
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class HelmTestHookTests(HelmToolchain toolchain)
{
    private const string ApiKey = "helm-test-api-key-0123456789";

    [Fact]
    public async Task The_readiness_and_round_trip_hooks_pass_against_the_running_service_and_fail_without_the_api_key()
    {
        var port = LoopbackPorts.Free();
        var data = Directory.CreateTempSubdirectory("helm-hook-service-").FullName;
        using var service = StartService(port, data);
        try
        {
            var hooks = await RenderHooksAsync(port);
            Assert.Equal(["127.0.0.1-test-readiness", "127.0.0.1-test-crud"], hooks.Select(p => p.Metadata.Name));
            foreach (var hook in hooks)
            {
                var result = await RunHookAsync(hook, ApiKey);

                Assert.True(result.ExitCode == 0, $"{hook.Metadata.Name} failed:\n{result.StandardOutput}\n{result.StandardError}");
                Assert.Contains("PASS", result.StandardOutput, StringComparison.Ordinal);
            }

            var withoutKey = await RunHookAsync(hooks[^1], apiKey: null);

            Assert.NotEqual(0, withoutKey.ExitCode);
            Assert.Contains("FAIL: POST", withoutKey.StandardError, StringComparison.Ordinal);
            Assert.Contains("returned 401", withoutKey.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The test pods in hook-weight order, rendered to reach the service on 127.0.0.1:<paramref name="port"/>.</summary>
    private async Task<IReadOnlyList<V1Pod>> RenderHooksAsync(int port)
    {
        var rendered = await toolchain.RunHelmAsync(4, HelmCommandBuilder.Template(
            RenderedChart.Release, HelmToolchain.ChartDirectory, RenderedChart.Namespace, RenderedChart.ValuesFile("dev"),
            [.. RenderedChart.ImageValues, new("fullnameOverride", "127.0.0.1"), new("service.port", port.ToString(CultureInfo.InvariantCulture))]));
        return [.. KubernetesYaml.LoadAllFromString(rendered.StandardOutput, ChartTypes.Map, strict: true).OfType<V1Pod>()
            .OrderBy(p => int.Parse(p.Metadata.Annotations.TryGetValue("helm.sh/hook-weight", out var weight) ? weight : "0", CultureInfo.InvariantCulture))];
    }

    /// <summary>Runs the pod's command (/bin/sh -c script) here, with API_KEY as the pod's secretKeyRef would set it.</summary>
    private static Task<ProcessResult> RunHookAsync(V1Pod hook, string? apiKey)
    {
        var container = hook.Spec.Containers[0];
        Assert.Equal(["/bin/sh", "-c"], container.Command);
        return new TestProcessRunner().RunAsync(
            "sh",
            ["-c", Assert.Single(container.Args)],
            new ProcessOptions { AllowNonZeroExitCode = true, Environment = new Dictionary<string, string?> { ["API_KEY"] = apiKey } });
    }

    /// <summary>The service as built next to the tests (Debug or Release, whichever is newer), SQLite in a temp folder.</summary>
    private static Process StartService(int port, string dataDirectory)
    {
        var binaries = Path.Combine(HelmToolchain.RepositoryRoot, "src", "ExampleService", "bin");
        var dll = Directory.Exists(binaries)
            ? Directory.GetFiles(binaries, "ExampleService.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        Assert.True(dll is not null, $"ExampleService.dll is not built under {binaries}: build tests/Build.Tests (it builds the service).");
        var start = new ProcessStartInfo("dotnet", [dll!]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_URLS"] = null;
        start.Environment["Database__DataDirectory"] = dataDirectory;
        start.Environment["Authentication__ApiKeys__0__Id"] = "helm-test";
        start.Environment["Authentication__ApiKeys__0__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));
        start.Environment["Authentication__ApiKeys__0__Scopes"] = "users.read users.write";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
