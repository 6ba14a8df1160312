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
    /// <param name="OverheadMilliseconds">Per seed, the tuner's mean propose + update time per trial over the largest budget.</param>
    public sealed record Row(string Function, TunerKind Tuner, IReadOnlyDictionary<int, double[]> BestByBudget, double[] OverheadMilliseconds)
    {
        /// <summary>Median over seeds of the best value after <paramref name="budget"/> trials.</summary>
        public double Median(int budget) => MedianOf(BestByBudget[budget]);

        /// <summary>Median over seeds of the tuner's time per trial.</summary>
        public double MedianOverhead => MedianOf(OverheadMilliseconds);
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
                for (int seed = 0; seed < seeds; seed++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // Grid steps: enough points per axis that the grid covers the largest budget.
                    int steps = (int)Math.Ceiling(Math.Pow(maxTrials, 1.0 / function.Space.FeatureSpaceDim));
                    var tuner = new TimedTuner(Tuner.Create(kind, function.Space, seed, Math.Max(2, steps)));
                    var runner = new DelegateTrialRunner(c => new TrialMetrics(function.Evaluate(c.Parameter)));
                    var result = Sweep.Run(tuner, runner, new SweepOptions { MaxTrials = maxTrials, IsMaximizing = false, MetricName = function.Name }, cancellationToken);
                    var curve = result.BestSoFar();
                    foreach (var b in budgets) best[b][seed] = curve[Math.Min(b, curve.Length) - 1];
                    overhead[seed] = tuner.Elapsed.TotalMilliseconds / Math.Max(1, result.Trials.Count);
                    progress?.Report(new ProgressUpdate($"{function.Name} {kind}", ++done, total));
                }
                rows.Add(new Row(function.Name, kind, best, overhead));
            }
        }
        return new Result(rows, budgets, seeds, functions.ToDictionary(f => f.Name, f => f.Minimum), Environment.ProcessorCount,
            LLMML.Foundation.Benchmarks.BenchmarkTiming.LoadAverage());
    }

    internal static double MedianOf(IReadOnlyList<double> values) => LLMML.Foundation.Benchmarks.BenchmarkTiming.Median(values.ToArray());

    /// <summary>Times the wrapped tuner's propose and update calls.</summary>
    private sealed class TimedTuner(ITuner inner) : ITuner
    {
        private readonly Stopwatch _clock = new();

        public TimeSpan Elapsed => _clock.Elapsed;

        public Parameter? Propose(TrialSettings settings)
        {
            _clock.Start();
            try { return inner.Propose(settings); }
            finally { _clock.Stop(); }
        }

        public void Update(TrialResult result)
        {
            _clock.Start();
            try { inner.Update(result); }
            finally { _clock.Stop(); }
        }

        public bool ShouldContinue(TrialSettings settings, double resource, double loss) => inner.ShouldContinue(settings, resource, loss);
    }
}
