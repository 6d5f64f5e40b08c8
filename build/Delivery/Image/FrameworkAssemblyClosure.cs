using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ExampleService.Build.Delivery.Image;

/// <summary>
/// The shared-framework assemblies a framework-dependent app can load: those its own assemblies reference,
/// directly or through other framework assemblies (type forwarders included, since a facade references the assembly
/// it forwards to). The local ASP.NET Core base carries only these, which keeps the standard image under 120 MB;
/// the rest of the framework (SignalR, Identity, the XML formatters, the .NET Framework facades...) can never be
/// loaded by this service, because the runtime resolves an assembly only when some loaded assembly references it.
/// </summary>
public static class FrameworkAssemblyClosure
{
    /// <summary>
    /// Loaded by name, not by reference: the core library, and the stack-trace reader that CoreLib loads through
    /// reflection to put file names and line numbers into exception traces.
    /// </summary>
    internal static readonly string[] LoadedByName = ["System.Private.CoreLib", "System.Diagnostics.StackTrace"];

    /// <summary>
    /// Simple names (no extension) of the framework assemblies reachable from the managed assemblies in
    /// <paramref name="appDirectory"/>.
    /// </summary>
    public static IReadOnlySet<string> Of(string appDirectory, IEnumerable<string> frameworkDirectories)
    {
        if (!Directory.Exists(appDirectory))
        {
            throw new DirectoryNotFoundException($"{appDirectory} does not exist: publish the service before building its base image.");
        }

        var appAssemblies = Directory.EnumerateFiles(appDirectory, "*.dll").ToList();
        var frameworkAssemblies = frameworkDirectories.SelectMany(directory => Directory.EnumerateFiles(directory, "*.dll")).ToList();
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in frameworkAssemblies.Concat(appAssemblies))
        {
            // An app-local copy wins over the framework's, as the host resolves it.
            byName[Path.GetFileNameWithoutExtension(file)] = file;
        }

        var reached = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>(appAssemblies.Select(Path.GetFileNameWithoutExtension).OfType<string>().Concat(LoadedByName));
        while (pending.TryPop(out var name))
        {
            if (!reached.Add(name) || !byName.TryGetValue(name, out var file))
            {
                continue;
            }

            foreach (var reference in ReferencesOf(file))
            {
                pending.Push(reference);
            }
        }

        reached.IntersectWith(frameworkAssemblies.Select(Path.GetFileNameWithoutExtension).OfType<string>());
        return reached;
    }

    /// <summary>Names of the assemblies a file references; none for a file that is not a managed assembly.</summary>
    private static List<string> ReferencesOf(string file)
    {
        using var stream = File.OpenRead(file);
        using var pe = new PEReader(stream);
        try
        {
            if (!pe.HasMetadata)
            {
                return [];
            }

            var metadata = pe.GetMetadataReader();
            return [.. metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name))];
        }
        catch (BadImageFormatException)
        {
            // A native library named *.dll, or not a PE file at all: it references no assemblies.
            return [];
        }
    }
}
