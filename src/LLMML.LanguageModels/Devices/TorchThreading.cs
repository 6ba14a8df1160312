using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LLMML.LanguageModels.Devices;

/// <summary>
/// How libtorch's OpenMP threads wait. libtorch's GNU OpenMP spins waiting threads by default; when another process
/// holds a core, a spinning thread burns the time slice its partner needs and every parallel region waits for a
/// descheduled thread. Measured on 2 cores (AMD EPYC), 2 threads, one other busy process: tiny-2L forward 127 ms
/// spinning vs ~7 ms passive (16× its idle time), so LLMML asks for passive waiting (OMP_WAIT_POLICY=PASSIVE) before
/// libtorch loads, unless the variable is already set. See docs/language-models.md, "Performance".
/// </summary>
public static class TorchThreading
{
    /// <summary>The GNU OpenMP variable libgomp reads once, when libtorch loads it.</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    // Runs when this assembly is first used; an app that calls torch before touching LLMML should call
    // PreferPassiveWaiting itself, first thing.
#pragma warning disable CA2255 // a library module initializer is the point: it must run before libtorch loads
    [ModuleInitializer]
    internal static void Initialize() => PreferPassiveWaiting();
#pragma warning restore CA2255

    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE in the process environment (the native one libgomp reads, and .NET's) unless it is
    /// already set. Has an effect only before libtorch is loaded; returns whether it set the variable.
    /// </summary>
    public static bool PreferPassiveWaiting()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WaitPolicyVariable))) return false;
        // On Windows .NET writes the process environment itself; elsewhere it keeps a managed copy native code never sees.
        if (!OperatingSystem.IsWindows() && setenv(WaitPolicyVariable, "PASSIVE", 0) != 0) return false;
        Environment.SetEnvironmentVariable(WaitPolicyVariable, "PASSIVE");
        return true;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
