using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Transforms;
using LLMML.LanguageModels.Hooks;
using LLMML.Foundation.Benchmarks;
using LLMML.Foundation.Progress;
using LLMML.MLNet.Tasks;
using LLMML.Sweeps.Experiments;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using LLMML.Sweeps.Tuners;
using Microsoft.ML;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml bench sweeps --eigenprune`: ASHA against the full grid over eigenpruning fractions, where the fidelity ASHA
/// grows is the number of training rows the singular values are scored on (rung k: minRows·η^k rows; the last rung is
/// every scoring row, i.e. exactly a grid trial). Every trial, at every rung, is scored on the same held-out validation
/// rows, so the rung's metric is comparable. Compute is counted in scoring rows and in process CPU seconds.
/// </summary>
internal static class BenchSweepsEigenprune
{
    /// <summary>The settings of one run.</summary>
    public sealed record Settings(string Model, string Task, double[] Fractions, int ScoringRows, int ValidationRows, double Eta, int Rungs,
        IReadOnlyList<WeightKind> Matrices, EffectReduction Reduction, int BatchSize, int Seed);

    private sealed record Run(string Name, SweepResult Result, long ScoringRows, long ValidationRows, double CpuSeconds, double WallSeconds);

    public static JsonObject Measure(Settings s, IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        var ml = new MLContext(s.Seed);
        var llm = ml.Llm();
        var task = llm.Tasks.Get(s.Task);
        if (!task.IsClosed(TaskSplits.Train))
            throw new ArgumentException($"bench sweeps --eigenprune: task '{task.Name}' has open-ended training answers; the validation score is closed-set accuracy (pick a closed task).");
        var all = llm.Tasks.Load(task.Name, TaskSplits.Train);
        long available = all.GetRowCount() ?? CountRows(all);
        if (s.ScoringRows + s.ValidationRows > available)
            throw new ArgumentException($"bench sweeps --eigenprune: --scoring-rows {s.ScoringRows} + --validation-rows {s.ValidationRows} exceed the {available} training rows of '{task.Name}'.");
        // Scoring rows first, validation rows after them: no trial scores a singular value on a row it is judged on.
        var scoring = ml.Data.TakeRows(all, s.ScoringRows);
        var validation = ml.Data.TakeRows(ml.Data.SkipRows(all, s.ScoringRows), s.ValidationRows);
        double minRows = s.ScoringRows / Math.Pow(s.Eta, s.Rungs - 1);
        var space = new SearchSpace().Choice("Fraction", s.Fractions.Cast<object>().ToArray());

        EigenpruneOptions Options(double fraction, int rows)
        {
            var o = EigenpruneOptions.ForTask(task, s.Model);
            o.Matrices = s.Matrices;
            o.Reduction = s.Reduction;
            o.Fraction = fraction;
            o.MaxExamples = rows;
            o.BatchSize = s.BatchSize;
            o.Seed = s.Seed;
            o.CancellationToken = ct;
            return o;
        }

        long scoringRows = 0, validationRows = 0;
        double Accuracy(double fraction, int rows, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            using var pruned = llm.Eigenprune(Options(fraction, rows)).Fit(scoring);
            Interlocked.Add(ref scoringRows, rows);
            Interlocked.Add(ref validationRows, s.ValidationRows);
            return ml.MulticlassClassification.Evaluate(pruned.Transform(validation)).MicroAccuracy;
        }

        // One trial = one fraction; at each rung it is refitted on more scoring rows (eigenpruning has no state to resume).
        var runner = new DelegateTrialRunner(c =>
        {
            double fraction = c.Parameter.GetDouble("Fraction"), metric = double.NaN;
            for (int rung = 0; rung < s.Rungs; rung++)
            {
                int rows = rung == s.Rungs - 1 ? s.ScoringRows : (int)Math.Round(minRows * Math.Pow(s.Eta, rung));
                metric = Accuracy(fraction, rows, c.CancellationToken);
                if (rung < s.Rungs - 1 && !c.Report(rows, metric)) c.CancellationToken.ThrowIfCancellationRequested();
            }
            return new TrialMetrics(metric);
        });
        var gridRunner = new DelegateTrialRunner(c => new TrialMetrics(Accuracy(c.Parameter.GetDouble("Fraction"), s.ScoringRows, c.CancellationToken)));

        Run Measure(string name, ITuner tuner, ITrialRunner trialRunner)
        {
            (scoringRows, validationRows) = (0, 0);
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var options = new SweepOptions
            {
                MaxTrials = s.Fractions.Length, IsMaximizing = true, MetricName = "MicroAccuracy",
                Progress = progress is null ? null : new Progress<ProgressUpdate>(u => progress.Report(u with { Stage = $"{name}: {u.Stage}" })),
            };
            var result = Sweep.Run(tuner, trialRunner, options, ct);
            process.Refresh();
            return new Run(name, result, scoringRows, validationRows, (process.TotalProcessorTime - cpu).TotalSeconds, clock.Elapsed.TotalSeconds);
        }

        var grid = Measure("grid", new GridSearchTuner(space), gridRunner);
        var asha = Measure("asha", new AshaTuner(space, s.Seed, s.Eta, minRows, new GridSearchTuner(space)), runner);

        JsonObject Describe(Run r)
        {
            var best = r.Result.BestOrThrow;
            return new JsonObject
            {
                ["bestFraction"] = best.TrialSettings.Parameter.GetDouble("Fraction"),
                ["bestValidationAccuracy"] = best.Metric,
                ["trials"] = r.Result.Trials.Count,
                ["completed"] = r.Result.Trials.Count(t => t.Status == TrialStatus.Completed),
                ["stoppedEarly"] = r.Result.Trials.Count(t => t.Status == TrialStatus.Stopped),
                ["scoringRows"] = r.ScoringRows,
                ["validationRowsScored"] = r.ValidationRows,
                ["cpuSeconds"] = Math.Round(r.CpuSeconds, 2),
                ["wallSeconds"] = Math.Round(r.WallSeconds, 2),
                ["perTrial"] = new JsonArray(r.Result.Trials.Select(t => (JsonNode)new JsonObject
                {
                    ["fraction"] = t.TrialSettings.Parameter.GetDouble("Fraction"),
                    ["status"] = t.Status.ToString(),
                    ["accuracy"] = t.Metric,
                    ["reports"] = new JsonArray(t.Intermediate.Select(i => (JsonNode)new JsonArray(i.Resource, i.Metric)).ToArray()),
                }).ToArray()),
            };
        }

        return new JsonObject
        {
            ["model"] = s.Model,
            ["task"] = s.Task,
            ["matrices"] = string.Join(",", s.Matrices),
            ["reduction"] = s.Reduction.ToString(),
            ["fractions"] = new JsonArray(s.Fractions.Select(f => (JsonNode)f).ToArray()),
            ["scoringRows"] = s.ScoringRows,
            ["validationRows"] = s.ValidationRows,
            ["eta"] = s.Eta,
            ["rungRows"] = new JsonArray(Enumerable.Range(0, s.Rungs).Select(k => (JsonNode)(k == s.Rungs - 1 ? s.ScoringRows : (int)Math.Round(minRows * Math.Pow(s.Eta, k)))).ToArray()),
            ["grid"] = Describe(grid),
            ["asha"] = Describe(asha),
            ["sameBest"] = grid.Result.BestOrThrow.Metric == asha.Result.BestOrThrow.Metric,
            ["scoringRowsSaved"] = Math.Round(1 - (double)asha.ScoringRows / grid.ScoringRows, 4),
            ["cpuSaved"] = Math.Round(1 - asha.CpuSeconds / grid.CpuSeconds, 4),
            ["processorCount"] = Environment.ProcessorCount,
            ["loadAverage"] = BenchmarkTiming.LoadAverage(),
        };
    }

    private static long CountRows(IDataView view)
    {
        using var cursor = view.GetRowCursor([]);
        long n = 0;
        while (cursor.MoveNext()) n++;
        return n;
    }

    /// <summary>Parses "0.001,0.002" into fractions in (0, 1).</summary>
    public static double[] ParseFractions(string text)
    {
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 && f < 1 ? f
                : throw new ArgumentException($"--fractions: '{v}' is not a fraction in (0, 1).")).ToArray();
        return values.Length >= 2 && values.Distinct().Count() == values.Length ? values : throw new ArgumentException("--fractions: give at least two different fractions.");
    }
}
