using System.Diagnostics;
using System.Text.Json.Nodes;
using LLMML.Foundation.Progress;
using LLMML.Sweeps.Experiments;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using LLMML.Sweeps.Tuners;

namespace LLMML.Sweeps.Benchmarks;

/// <summary>
/// The tuner benchmark: on test functions with known minima, each tuner's best value after each budget, over seeds,
/// against random search; and the tuner's own time per trial (propose + update).
/// </summary>
public static class SweepBenchmark
{
    /// <summary>One tuner on one function.</summary>
    /// <param name="Function">Test function.</param>
    /// <param name="Tuner">Tuner.</param>
    /// <param name="BestByBudget">Per budget, the best value found by each seed.</param>
    /// <param name="OverheadMilliseconds">Per seed, the tuner's mean propose + update wall time per trial over the largest budget.</param>
    /// <param name="OverheadCpuMilliseconds">Per seed, the same as CPU time of the calling thread (NaN where the OS gives none).</param>
    public sealed record Row(string Function, TunerKind Tuner, IReadOnlyDictionary<int, double[]> BestByBudget, double[] OverheadMilliseconds, double[] OverheadCpuMilliseconds)
    {
        /// <summary>Median over seeds of the best value after <paramref name="budget"/> trials.</summary>
        public double Median(int budget) => MedianOf(BestByBudget[budget]);

        /// <summary>Median over seeds of the tuner's wall time per trial.</summary>
        public double MedianOverhead => MedianOf(OverheadMilliseconds);

        /// <summary>Median over seeds of the tuner's thread CPU time per trial (NaN where unavailable).</summary>
        public double MedianOverheadCpu => MedianOf(OverheadCpuMilliseconds);
    }

    /// <summary>The benchmark's results.</summary>
    public sealed record Result(IReadOnlyList<Row> Rows, int[] Budgets, int Seeds, IReadOnlyDictionary<string, double> Minima, int ProcessorCount, double? LoadAverage)
    {
        /// <summary>The row of <paramref name="tuner"/> on <paramref name="function"/>.</summary>
        public Row Of(string function, TunerKind tuner) => Rows.Single(r => r.Function == function && r.Tuner == tuner);

        /// <summary>JSON: per function and tuner, the median (and per-seed) best after each budget and the overhead.</summary>
        public string ToJson()
        {
            var functions = new JsonObject();
            foreach (var group in Rows.GroupBy(r => r.Function))
            {
                var random = group.Single(r => r.Tuner == TunerKind.Random);
                var tuners = new JsonObject();
                foreach (var row in group)
                {
                    var budgets = new JsonObject();
                    foreach (var b in Budgets)
                        budgets[b.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
                        {
                            ["median"] = row.Median(b),
                            ["beatsRandom"] = row.Median(b) < random.Median(b),
                            ["perSeed"] = new JsonArray(row.BestByBudget[b].Select(v => (JsonNode)v).ToArray()),
                        };
                    tuners[row.Tuner.ToString().ToLowerInvariant()] = new JsonObject
                    {
                        ["bestAfter"] = budgets,
                        ["overheadMillisecondsPerTrial"] = Math.Round(row.MedianOverhead, 4),
                        ["overheadCpuMillisecondsPerTrial"] = double.IsFinite(row.MedianOverheadCpu) ? Math.Round(row.MedianOverheadCpu, 4) : null,
                    };
                }
                functions[group.Key] = new JsonObject { ["minimum"] = Minima[group.Key], ["tuners"] = tuners };
            }
            return new JsonObject
            {
                ["seeds"] = Seeds,
                ["budgets"] = new JsonArray(Budgets.Select(b => (JsonNode)b).ToArray()),
                ["overheadTargetMilliseconds"] = 5,
                ["processorCount"] = ProcessorCount,
                ["loadAverage"] = LoadAverage,
                ["functions"] = functions,
            }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        }
    }

    /// <summary>Runs every tuner in <paramref name="tuners"/> on every function for <paramref name="seeds"/> seeds.</summary>
    public static Result Run(IReadOnlyList<TestFunction> functions, IReadOnlyList<TunerKind> tuners, int seeds = 10, int[]? budgets = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        budgets ??= [20, 50, 100];
        int maxTrials = budgets.Max();
        var rows = new List<Row>();
        long done = 0, total = (long)functions.Count * tuners.Count * seeds;
        foreach (var function in functions)
        {
            foreach (var kind in tuners)
            {
                var best = budgets.ToDictionary(b => b, _ => new double[seeds]);
                var overhead = new double[seeds];
                var overheadCpu = new double[seeds];
                // Grid steps: enough points per axis that the grid covers the largest budget.
                int steps = Math.Max(2, (int)Math.Ceiling(Math.Pow(maxTrials, 1.0 / function.Space.FeatureSpaceDim)));
                var runner = new DelegateTrialRunner(c => new TrialMetrics(function.Evaluate(c.Parameter)));
                var options = new SweepOptions { MaxTrials = maxTrials, IsMaximizing = false, MetricName = function.Name };
                // One untimed sweep first, so the times are the tuner's and not the JIT's (ML.NET's FastTree is large).
                Sweep.Run(Tuner.Create(kind, function.Space, -1, steps), runner, options, cancellationToken);
                for (int seed = 0; seed < seeds; seed++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var tuner = new TimedTuner(Tuner.Create(kind, function.Space, seed, steps));
                    var result = Sweep.Run(tuner, runner, options, cancellationToken);
                    var curve = result.BestSoFar();
                    foreach (var b in budgets) best[b][seed] = curve[Math.Min(b, curve.Length) - 1];
                    overhead[seed] = tuner.Elapsed.TotalMilliseconds / Math.Max(1, result.Trials.Count);
                    overheadCpu[seed] = tuner.CpuMilliseconds / Math.Max(1, result.Trials.Count);
                    progress?.Report(new ProgressUpdate($"{function.Name} {kind}", ++done, total));
                }
                rows.Add(new Row(function.Name, kind, best, overhead, overheadCpu));
            }
        }
        return new Result(rows, budgets, seeds, functions.ToDictionary(f => f.Name, f => f.Minimum), Environment.ProcessorCount,
            LLMML.Foundation.Benchmarks.BenchmarkTiming.LoadAverage());
    }

    internal static double MedianOf(IReadOnlyList<double> values) => LLMML.Foundation.Benchmarks.BenchmarkTiming.Median(values.ToArray());

    /// <summary>
    /// Times the wrapped tuner's propose and update calls, in wall time and in CPU time of the calling thread — the
    /// second is what the tuner costs on a shared machine, where wall time also counts waiting for a core. (SMAC's forest
    /// is fitted on the calling thread, see <see cref="ForestSurrogate"/>, so its thread's CPU time is all of it.)
    /// </summary>
    private sealed class TimedTuner(ITuner inner) : ITuner
    {
        private readonly Stopwatch _clock = new();
        private double _cpuMilliseconds;

        public TimeSpan Elapsed => _clock.Elapsed;

        public double CpuMilliseconds => _cpuMilliseconds;

        public Parameter? Propose(TrialSettings settings)
        {
            double cpu = ThreadCpu.Milliseconds();
            _clock.Start();
            try { return inner.Propose(settings); }
            finally
            {
                _clock.Stop();
                _cpuMilliseconds += ThreadCpu.Milliseconds() - cpu;
            }
        }

        public void Update(TrialResult result)
        {
            double cpu = ThreadCpu.Milliseconds();
            _clock.Start();
            try { inner.Update(result); }
            finally
            {
                _clock.Stop();
                _cpuMilliseconds += ThreadCpu.Milliseconds() - cpu;
            }
        }

        public bool ShouldContinue(TrialSettings settings, double resource, double loss) => inner.ShouldContinue(settings, resource, loss);
    }
}

/// <summary>CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>; NaN elsewhere).</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static double Milliseconds()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        return ClockGetTime(ClockThreadCpuTimeId, out var time) == 0 ? time.Seconds * 1e3 + time.Nanoseconds / 1e6 : double.NaN;
    }

    // DllImport rather than LibraryImport: the generated marshaller would need unsafe code for one blittable struct.
#pragma warning disable SYSLIB1054
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
