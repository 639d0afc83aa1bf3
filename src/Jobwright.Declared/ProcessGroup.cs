using System.Runtime.InteropServices;

namespace Jobwright.Declared;

/// <summary>Signals a whole process group, so that a program's children stop with it.</summary>
internal static partial class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="leader"/>.</summary>
    public static void Signal(int leader, int signal) => _ = Kill(-leader, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
