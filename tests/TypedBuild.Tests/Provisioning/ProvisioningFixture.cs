using TypedBuild.Processes;
using TypedBuild.Provisioning;
using TypedBuild.Tests.Processes;

namespace TypedBuild.Tests.Provisioning;

/// <summary>A throwaway repository root with its own <c>.tools</c>, and contexts over it.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot() => Root = AbsolutePath.Create(Directory.CreateTempSubdirectory("tb-prov-").FullName);

    public AbsolutePath Root { get; }

    internal RecordingLog Log { get; } = new();

    internal ProvisioningContext Context(IProcessRunner? processes = null, bool isRoot = true, bool isDebian = true, bool hasPasswordlessSudo = false)
        => new(Root, Root / ".tools", Log, processes ?? new ProcessRunner(Log, new FakeSecretMasker()), isRoot, IsServerBuild: false) { IsDebian = isDebian, HasPasswordlessSudo = hasPasswordlessSudo };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>Records every command; answers with <paramref name="handler"/> (exit 0 and no output by default).</summary>
internal sealed class RecordingProcessRunner(Func<string, IReadOnlyList<string>, ProcessOptions, ProcessResult>? handler = null) : IProcessRunner
{
    public List<(string Executable, IReadOnlyList<string> Arguments, ProcessOptions Options)> Calls { get; } = [];

    public IEnumerable<string> CommandLines => Calls.Select(c => string.Join(' ', c.Arguments.Prepend(c.Executable)));

    public Task<ProcessResult> RunAsync(string executable, IEnumerable<string> arguments, ProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        options ??= new ProcessOptions();
        Calls.Add((executable, list, options));
        return Task.FromResult(handler?.Invoke(executable, list, options) ?? new ProcessResult(0, []));
    }
}
