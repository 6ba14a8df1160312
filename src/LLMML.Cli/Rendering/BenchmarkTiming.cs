using System.Diagnostics;

namespace LLMML.Cli.Rendering;

/// <summary>What every `llmml bench` command measures the same way: medians of wall and CPU time, and the machine's load.</summary>
internal static class BenchmarkTiming
{
    /// <summary>Median wall time and median process CPU time, in ms, of <paramref name="runs"/> calls after one warm-up call.</summary>
    public static (double Wall, double Cpu) Timed(int runs, Action action)
    {
        action();
        var wall = new double[runs];
        var cpu = new double[runs];
        var process = Process.GetCurrentProcess();
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

    public static double Median(double[] values)
    {
        Array.Sort(values);
        var n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /// <summary>The 1-minute load average on Linux ("n/a" elsewhere), so figures from a busy machine can be recognised.</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    /// <summary>Peak working set of this process so far, in MB.</summary>
    public static double PeakWorkingSetMb() => Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
}
