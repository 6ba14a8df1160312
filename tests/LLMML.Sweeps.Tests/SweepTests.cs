using System.Collections.Concurrent;
using LLMML.Foundation.Progress;
using LLMML.Sweeps.Benchmarks;
using LLMML.Sweeps.Experiments;
using LLMML.Sweeps.Reporting;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using LLMML.Sweeps.Tuners;
using Microsoft.Data.Analysis;
using Microsoft.ML;

namespace LLMML.Sweeps.Tests;

public sealed class SweepTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmml-sweeps-" + Guid.NewGuid().ToString("N"));

    public SweepTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly SearchSpace Space = new SearchSpace().Uniform("x1", -5, 10).Uniform("x2", 0, 15).Choice("flip", false, true);

    private static double Branin(Parameter p) => TestFunction.BraninAt(p.GetDouble("x1"), p.GetDouble("x2")) + (p.Get<bool>("flip") ? 1 : 0);

    private static string Signature(SweepResult r) =>
        string.Join("\n", r.Trials.Select(t => $"{t.TrialSettings.TrialId} {t.TrialSettings.Parameter} {t.Status} {t.Metric:R}"));

    [Theory]
    [InlineData(TunerKind.Cfo)]
    [InlineData(TunerKind.Smac)]
    [InlineData(TunerKind.Random)]
    public void A_resumed_sweep_equals_an_uninterrupted_one_without_repeating_a_trial(TunerKind kind)
    {
        const int trials = 16;
        var options = () => new SweepOptions { MaxTrials = trials, IsMaximizing = false, JournalPath = Path.Combine(_directory, $"{kind}.jsonl") };
        var uninterrupted = Sweep.Run(Tuner.Create(kind, Space, 3), new DelegateTrialRunner(c => new TrialMetrics(Branin(c.Parameter))),
            new SweepOptions { MaxTrials = trials, IsMaximizing = false });

        // Interrupted: the sweep is cancelled while trial 12 runs, so trials 0–11 are journaled.
        using var cancel = new CancellationTokenSource();
        var first = new DelegateTrialRunner(c =>
        {
            if (c.Settings.TrialId == 12)
            {
                cancel.Cancel();
                c.CancellationToken.ThrowIfCancellationRequested();
            }
            return new TrialMetrics(Branin(c.Parameter));
        });
        var interrupted = () => Sweep.Run(Tuner.Create(kind, Space, 3), first, options(), cancel.Token);
        interrupted.Should().Throw<OperationCanceledException>();
        File.ReadAllLines(options().JournalPath!).Should().HaveCount(12);

        var ran = new ConcurrentBag<int>();
        var resumed = Sweep.Run(Tuner.Create(kind, Space, 3), new DelegateTrialRunner(c =>
        {
            ran.Add(c.Settings.TrialId);
            return new TrialMetrics(Branin(c.Parameter));
        }), options());
        ran.Order().Should().Equal(12, 13, 14, 15);
        Signature(resumed).Should().Be(Signature(uninterrupted));
        File.ReadAllLines(options().JournalPath!).Should().HaveCount(trials);
    }

    [Fact]
    public void A_resumed_ASHA_sweep_replays_intermediate_reports_and_stops_the_same_trials()
    {
        var space = new SearchSpace().Uniform("x", 0, 1);
        var path = Path.Combine(_directory, "asha.jsonl");
        TrialMetrics Curve(TrialContext c, int? cancelAt, CancellationTokenSource? cancel)
        {
            double x = c.Parameter.GetDouble("x");
            for (int r = 1; r <= 9; r++)
            {
                if (c.Settings.TrialId == cancelAt) cancel!.Cancel();
                c.Report(r, x * r);
                c.CancellationToken.ThrowIfCancellationRequested();
            }
            return new TrialMetrics(9 * x);
        }
        var uninterrupted = Sweep.Run(new AshaTuner(space, seed: 1), new DelegateTrialRunner(c => Curve(c, null, null)), new SweepOptions { MaxTrials = 14 });
        uninterrupted.Trials.Should().Contain(t => t.Status == TrialStatus.Stopped);

        using var cancel = new CancellationTokenSource();
        var first = () => Sweep.Run(new AshaTuner(space, seed: 1), new DelegateTrialRunner(c => Curve(c, 8, cancel)), new SweepOptions { MaxTrials = 14, JournalPath = path }, cancel.Token);
        first.Should().Throw<OperationCanceledException>();
        var resumed = Sweep.Run(new AshaTuner(space, seed: 1), new DelegateTrialRunner(c => Curve(c, null, null)), new SweepOptions { MaxTrials = 14, JournalPath = path });
        Signature(resumed).Should().Be(Signature(uninterrupted));
        resumed.Trials.Select(t => t.Intermediate.Count).Should().Equal(uninterrupted.Trials.Select(t => t.Intermediate.Count));
    }

    [Fact]
    public void A_journal_from_another_sweep_is_refused_naming_the_file()
    {
        var path = Path.Combine(_directory, "other.jsonl");
        var runner = new DelegateTrialRunner(c => new TrialMetrics(Branin(c.Parameter)));
        Sweep.Run(new RandomSearchTuner(Space, 1), runner, new SweepOptions { MaxTrials = 3, JournalPath = path });
        var act = () => Sweep.Run(new RandomSearchTuner(Space, 2), runner, new SweepOptions { MaxTrials = 3, JournalPath = path });
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: trial 0 was *the journal belongs to another sweep*");
    }

    [Fact]
    public void A_torn_journal_line_is_reported_with_its_line_number()
    {
        var path = Path.Combine(_directory, "torn.jsonl");
        File.WriteAllText(path, "{\"trial\":0,\n");
        var act = () => SweepJournal.Open(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"{path} line 1: not a sweep journal record*");
    }

    [Fact]
    public void Cancellation_reaches_the_running_trial_and_ends_the_sweep()
    {
        using var cancel = new CancellationTokenSource();
        bool sawCancellation = false;
        var runner = new DelegateTrialRunner(c =>
        {
            if (c.Settings.TrialId == 2) cancel.CancelAfter(50);
            if (c.Settings.TrialId >= 2)
            {
                sawCancellation = c.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
                c.CancellationToken.ThrowIfCancellationRequested();
            }
            return new TrialMetrics(1);
        });
        var act = () => Sweep.Run(new RandomSearchTuner(Space), runner, new SweepOptions { MaxTrials = 10 }, cancel.Token);
        act.Should().Throw<OperationCanceledException>();
        sawCancellation.Should().BeTrue();
    }

    [Fact]
    public void The_wall_time_budget_stops_the_sweep_and_keeps_the_finished_trials()
    {
        var runner = new DelegateTrialRunner(c =>
        {
            c.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(60));
            c.CancellationToken.ThrowIfCancellationRequested();
            return new TrialMetrics(c.Settings.TrialId);
        });
        var result = Sweep.Run(new RandomSearchTuner(Space), runner, new SweepOptions { MaxTrials = 1000, MaxWallTime = TimeSpan.FromMilliseconds(400) });
        result.Trials.Count.Should().BeInRange(1, 7);
        result.Trials.Should().AllSatisfy(t => t.Status.Should().Be(TrialStatus.Completed));
    }

    [Fact]
    public void Parallel_trials_overlap_up_to_the_limit_and_give_the_sequential_results()
    {
        int running = 0, most = 0;
        var runner = new DelegateTrialRunner(c =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(30);
            Interlocked.Decrement(ref running);
            return new TrialMetrics(Branin(c.Parameter));
        });
        var parallel = Sweep.Run(new SmacTuner(Space, 4, numberInitialPopulation: 5), runner, new SweepOptions { MaxTrials = 12, MaxParallelTrials = 3, IsMaximizing = false });
        most.Should().BeInRange(2, 3);
        var again = Sweep.Run(new SmacTuner(Space, 4, numberInitialPopulation: 5), runner, new SweepOptions { MaxTrials = 12, MaxParallelTrials = 3, IsMaximizing = false });
        Signature(again).Should().Be(Signature(parallel), "rounds reach the tuner in trial order whatever the timing");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    [Fact]
    public void A_failing_trial_is_recorded_with_its_error_and_the_worst_loss()
    {
        var path = Path.Combine(_directory, "failing.jsonl");
        var runner = new DelegateTrialRunner(c => c.Settings.TrialId == 1 ? throw new ArgumentException("bad rank") : new TrialMetrics(0.5));
        var progress = new List<ProgressUpdate>();
        var result = Sweep.Run(new RandomSearchTuner(Space), runner, new SweepOptions { MaxTrials = 3, JournalPath = path, Progress = new SynchronousProgress(progress.Add) });
        var failed = result.Trials[1];
        failed.Status.Should().Be(TrialStatus.Failed);
        failed.Loss.Should().Be(double.PositiveInfinity);
        failed.Error.Should().Be("ArgumentException: bad rank");
        SweepJournal.Open(path).TryGet(1, out var recorded).Should().BeTrue();
        recorded.Loss.Should().Be(double.PositiveInfinity);
        recorded.Error.Should().Be("ArgumentException: bad rank");
        progress.Select(p => p.Completed).Should().Equal(1, 2, 3);
        progress[^1].Metrics!["best"].Should().Be(0.5);
    }

    [Fact]
    public void No_completed_trial_means_a_best_that_quotes_the_first_failure()
    {
        var result = Sweep.Run(new RandomSearchTuner(Space), new DelegateTrialRunner(_ => throw new InvalidDataException("no rows")), new SweepOptions { MaxTrials = 2 });
        var act = () => result.BestOrThrow;
        act.Should().Throw<InvalidOperationException>().WithMessage("*trial 0 failed with InvalidDataException: no rows*");
    }

    [Fact]
    public void The_leaderboard_lists_trials_best_first_with_parameters_metrics_seconds_and_status()
    {
        var runner = new DelegateTrialRunner(c => new TrialMetrics(-Branin(c.Parameter), new Dictionary<string, double> { ["x1²"] = Math.Pow(c.Parameter.GetDouble("x1"), 2) }));
        var result = Sweep.Run(new RandomSearchTuner(Space, 5), runner, new SweepOptions { MaxTrials = 8, MetricName = "negBranin" });
        DataFrame frame = result.ToDataFrame();
        frame.Columns.Select(c => c.Name).Should().Equal("trial", "x1", "x2", "flip", "negBranin", "x1²", "seconds", "status");
        frame.Rows.Count.Should().Be(8);
        var metrics = Enumerable.Range(0, 8).Select(i => (double)frame["negBranin"][i]!).ToArray();
        metrics.Should().BeInDescendingOrder();
        metrics[0].Should().Be(result.BestOrThrow.Metric);
        ((int)frame["trial"][0]!).Should().Be(result.BestOrThrow.TrialSettings.TrialId);
        frame["flip"][0].Should().BeOfType<string>();
        var json = result.ToJson();
        json["best"]!["trial"]!.GetValue<int>().Should().Be(result.BestOrThrow.TrialSettings.TrialId);
        json["results"]!.AsArray().Should().HaveCount(8);
    }

    [Fact]
    public void Plots_are_written_as_png_files()
    {
        var result = Sweep.Run(new RandomSearchTuner(Space, 5), new DelegateTrialRunner(c => new TrialMetrics(Branin(c.Parameter))), new SweepOptions { MaxTrials = 6, IsMaximizing = false });
        var paths = SweepPlots.SaveAll(result, Path.Combine(_directory, "plots"));
        paths.Select(Path.GetFileName).Should().Equal("metric-by-trial.png", "parameter-x1.png", "parameter-x2.png", "parameter-flip.png");
        foreach (var path in paths) File.ReadAllBytes(path).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
    }

    [Fact]
    public void An_MLNet_pipeline_sweep_finds_the_regularisation_that_fits_and_refits_the_best_trial()
    {
        // y = 3·x1 − 2·x2 + small noise: a tiny L2 fits it, a huge one flattens it.
        var random = new Random(1);
        var rows = Enumerable.Range(0, 200).Select(_ =>
        {
            float a = (float)random.NextDouble(), b = (float)random.NextDouble();
            return new Point { Features = [a, b], Label = 3 * a - 2 * b + (float)(0.01 * random.NextDouble()) };
        }).ToArray();
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(rows[..150]);
        var validation = ml.Data.LoadFromEnumerable(rows[150..]);
        var space = new SearchSpace().LogUniform("l2", 1e-4, 1e3);
        var experiment = new SweepExperiment(space)
            .SetPipeline(p => ml.Regression.Trainers.Sdca(l2Regularization: (float)p.GetDouble("l2"), maximumNumberOfIterations: 50))
            .SetDataset(train, validation)
            .SetEvaluateMetric(v => ml.Regression.Evaluate(v).RSquared, "RSquared")
            .SetTuner(TunerKind.Grid)
            .SetMaxTrials(10);
        var result = experiment.Run();
        result.Trials.Should().HaveCount(5, "a one-parameter grid of 5 steps");
        result.BestOrThrow.TrialSettings.Parameter.GetDouble("l2").Should().BeLessThan(1);
        result.BestOrThrow.Metric.Should().BeGreaterThan(0.95);
        result.Trials.Single(t => Math.Abs(t.TrialSettings.Parameter.GetDouble("l2") - 1e3) < 1e-6).Metric.Should().BeLessThan(0.5, "L2 = 1000 flattens the fit");

        var model = experiment.RefitBest(result);
        ml.Regression.Evaluate(model.Transform(validation)).RSquared.Should().BeApproximately(result.BestOrThrow.Metric, 1e-3, "SDCA shuffles with the context's generator, so a refit differs in the last digits");
    }

    private sealed class Point
    {
        [Microsoft.ML.Data.VectorType(2)]
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }
}
