using System.Diagnostics;
using System.Globalization;

namespace LLMML.Foundation.Benchmarks;

/// <summary>What every benchmark measures the same way: medians of wall and CPU time, the machine's load, peak memory.</summary>
public static class BenchmarkTiming
{
    /// <summary>Median wall time and median process CPU time, in ms, of <paramref name="runs"/> calls after one warm-up call (JIT, caches).</summary>
    public static (double WallMs, double CpuMs) Timed(int runs, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        action();
        var wall = new double[runs];
        var cpu = new double[runs];
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            wall[i] = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
        }
        return (Median(wall), Median(cpu));
    }

    /// <summary>The median (mean of the middle two for an even count); sorts <paramref name="values"/> in place.</summary>
    public static double Median(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException("The median of no values is undefined.", nameof(values));
        Array.Sort(values);
        var n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /// <summary>
    /// The 1-minute load average on Linux, null elsewhere: figures from a machine whose load exceeds its cores are
    /// inflated, and a reader should be able to tell.
    /// </summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A load average as printed in benchmark tables: two decimals, "n/a" when unknown.</summary>
    public static string Format(double? loadAverage) => loadAverage?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a";

    /// <summary>Peak working set of this process so far, in MB.</summary>
    public static double PeakWorkingSetMb()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1048576.0;
    }
}
