using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace TypedBuild.Processes;

/// <summary>
/// Terminates a process and every descendant. On Linux the tree is read from <c>/proc</c> before any signal is sent,
/// so children that a dying shell leaves behind (re-parented to init) are still found; each member is identified by
/// pid and start time so a recycled pid is never signalled.
/// </summary>
internal static class ProcessTree
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>SIGTERM to the tree, then SIGKILL to whatever is still alive after <paramref name="grace"/>.</summary>
    public static async Task TerminateAsync(int rootPid, TimeSpan grace)
    {
        if (!OperatingSystem.IsLinux())
        {
            KillPortable(rootPid);
            return;
        }

        var members = Snapshot(rootPid);
        Signal(members, SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (members.Exists(IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        // Children may have been started between the snapshot and SIGTERM: look again before the final blow.
        var survivors = members.Where(IsAlive).SelectMany(m => Snapshot(m.Pid)).Distinct().ToList();
        while (survivors.Count > 0)
        {
            Signal(survivors, SigKill);
            await Task.Delay(20).ConfigureAwait(false);
            survivors = survivors.Where(IsAlive).ToList();
        }
    }

    /// <summary>SIGKILL to every descendant of <paramref name="pid"/>, at once: the build is going away.</summary>
    public static void KillDescendantsOf(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Signal(Snapshot(pid).Skip(1), SigKill);
    }

    /// <summary>The process and all its descendants (pid + start time), parents first.</summary>
    internal static List<Member> Snapshot(int rootPid)
    {
        var root = Read(rootPid);
        if (root is null)
        {
            return [];
        }

        var byParent = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? Read(pid) : null)
            .OfType<Member>()
            .ToLookup(m => m.ParentPid);
        var tree = new List<Member> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(byParent[tree[i].Pid]);
        }

        return tree;
    }

    internal static bool IsAlive(Member member)
    {
        var current = Read(member.Pid);
        return current is not null && current.StartTime == member.StartTime && current.State != 'Z';
    }

    private static void Signal(IEnumerable<Member> members, int signal)
    {
        foreach (var member in members.Where(IsAlive))
        {
            _ = NativeMethods.Kill(member.Pid, signal);
        }
    }

    private static void KillPortable(int rootPid)
    {
        try
        {
            using var process = Process.GetProcessById(rootPid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited while we looked at it.
        }
    }

    private static Member? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ..." where comm may contain spaces and parentheses: split after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new Member(
            pid,
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            fields[0][0],
            ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    internal sealed record Member(int Pid, int ParentPid, char State, ulong StartTime);

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
