using LLMML.Sweeps.Experiments;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using LLMML.Sweeps.Tuners;
using MathNet.Numerics.Distributions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace LLMML.Sweeps.Tests;

public class TunerTests
{
    private static TrialResult Result(int id, Parameter p, double loss) => new()
    {
        TrialSettings = new TrialSettings { TrialId = id, Parameter = p }, Status = TrialStatus.Completed, Metric = loss, Loss = loss, DurationInMilliseconds = 0,
    };

    [Fact]
    public void Grid_enumerates_every_point_once_in_order_then_stops()
    {
        var space = new SearchSpace().Choice("c", 1, 2, 3).Uniform("y", 0, 1);
        var tuner = new GridSearchTuner(space, stepSize: 3);
        var proposed = new List<string>();
        for (int i = 0; tuner.Propose(new TrialSettings { TrialId = i }) is { } p; i++) proposed.Add(p.ToString());
        var expected = new[] { 1, 2, 3 }.SelectMany(c => new[] { "0", "0.5", "1" }.Select(y => $"{{\"c\":{c},\"y\":{y}}}"));
        proposed.Should().Equal(expected);

        // A sweep with room for more stops when the grid is done.
        var sweep = Sweep.Run(new GridSearchTuner(space, 3), new DelegateTrialRunner(c => new TrialMetrics(c.Parameter.GetDouble("y"))), new SweepOptions { MaxTrials = 100 });
        sweep.Trials.Should().HaveCount(9);
    }

    [Fact]
    public void Random_stays_in_bounds_and_is_reproducible_under_its_seed()
    {
        var space = new SearchSpace().Uniform("u", -2, 3).LogUniform("l", 1e-3, 10).Integer("i", 5, 7).Choice("c", "a", "b");
        string Run(int seed)
        {
            var tuner = new RandomSearchTuner(space, seed);
            return string.Join("\n", Enumerable.Range(0, 500).Select(i => tuner.Propose(new TrialSettings { TrialId = i })!.ToString()));
        }
        var tuner = new RandomSearchTuner(space, 1);
        for (int i = 0; i < 2000; i++)
        {
            var p = tuner.Propose(new TrialSettings { TrialId = i })!;
            p.GetDouble("u").Should().BeInRange(-2, 3);
            p.GetDouble("l").Should().BeInRange(1e-3, 10);
            p.Get<int>("i").Should().BeInRange(5, 7);
            p.Get<string>("c").Should().BeOneOf("a", "b");
        }
        Run(4).Should().Be(Run(4));
        Run(4).Should().NotBe(Run(5));
    }

    [Fact]
    public void Asha_keeps_the_top_one_over_eta_of_each_rung()
    {
        var space = new SearchSpace().Uniform("x", 0, 1);
        var asha = new AshaTuner(space, eta: 3, minResource: 1);
        double[] losses = [0.5, 0.9, 0.1, 0.7, 0.3, 0.8, 0.2, 0.6, 0.4];
        var decisions = new bool[losses.Length];
        for (int id = 0; id < losses.Length; id++)
            decisions[id] = asha.ShouldContinue(new TrialSettings { TrialId = id }, 1, losses[id]);
        // After all nine, the rung's top third are the three lowest losses.
        asha.TopOfRung(0).Should().Equal(2, 6, 4);
        // Each decision was made against the losses recorded so far: keep the best max(1, ⌊n/3⌋) of n.
        for (int id = 0; id < losses.Length; id++)
        {
            int n = id + 1, keep = Math.Max(1, n / 3);
            int rank = losses.Take(n).Count(l => l < losses[id]);
            decisions[id].Should().Be(rank < keep, $"trial {id} has rank {rank} of {n} (keep {keep})");
        }
        // A trial that keeps winning passes rung 1 (resource 3) too; a report past two rungs is judged at both.
        asha.ShouldContinue(new TrialSettings { TrialId = 2 }, 3, 0.05).Should().BeTrue();
        asha.ShouldContinue(new TrialSettings { TrialId = 9 }, 9, 0.01).Should().BeTrue();
        asha.TopOfRung(2).Should().Equal(9);
    }

    [Fact]
    public void Asha_cancels_a_losing_trial_through_its_token()
    {
        var space = new SearchSpace().Uniform("x", 0, 1);
        var cancelledAt = new System.Collections.Concurrent.ConcurrentDictionary<int, double>();
        // Each trial's curve is its x times the resource: all start at rung 0 and are judged there and at 3 and 9.
        var runner = new DelegateTrialRunner(c =>
        {
            double x = c.Parameter.GetDouble("x");
            for (int r = 1; r <= 9; r++)
            {
                if (!c.Report(r, x))
                {
                    cancelledAt[c.Settings.TrialId] = r;
                    c.CancellationToken.ThrowIfCancellationRequested();
                }
            }
            return new TrialMetrics(x);
        });
        var result = Sweep.Run(new AshaTuner(space, seed: 2), runner, new SweepOptions { MaxTrials = 12, IsMaximizing = true });
        var stopped = result.Trials.Where(t => t.Status == TrialStatus.Stopped).ToArray();
        stopped.Should().NotBeEmpty();
        stopped.Select(t => t.TrialSettings.TrialId).Should().BeEquivalentTo(cancelledAt.Keys);
        foreach (var t in stopped)
        {
            t.Intermediate.Should().HaveCount((int)cancelledAt[t.TrialSettings.TrialId]);
            // Stopped means worse than the best third of a rung: never the best trial so far at its first rung.
            t.Metric.Should().BeLessThan(result.Trials.Where(o => o.TrialSettings.TrialId < t.TrialSettings.TrialId).Max(o => o.Metric));
        }
        result.Trials.Where(t => t.Status == TrialStatus.Completed).Should().AllSatisfy(t => t.Intermediate.Should().HaveCount(9));
    }

    [Fact]
    public void Cfo_starts_at_the_defaults_and_tries_the_opposite_step_after_a_failed_one()
    {
        var space = new SearchSpace().Uniform("a", 0, 1, defaultValue: 0.5).Uniform("b", 0, 1, defaultValue: 0.5);
        var cfo = new CostFrugalTuner(space, seed: 3, initialStep: 0.1);
        var start = cfo.Propose(new TrialSettings { TrialId = 0 })!;
        start.Should().Be(space.DefaultParameter);
        cfo.Update(Result(0, start, 1.0));
        var forward = cfo.Propose(new TrialSettings { TrialId = 1 })!;
        double da = forward.GetDouble("a") - 0.5, db = forward.GetDouble("b") - 0.5;
        Math.Sqrt(da * da + db * db).Should().BeApproximately(0.1, 1e-12, "a step of δ along a unit direction");
        cfo.Update(Result(1, forward, 2.0));
        var backward = cfo.Propose(new TrialSettings { TrialId = 2 })!;
        backward.GetDouble("a").Should().BeApproximately(0.5 - da, 1e-12);
        backward.GetDouble("b").Should().BeApproximately(0.5 - db, 1e-12);
        // An improvement moves the incumbent: the next step is δ from the improved point.
        cfo.Update(Result(2, backward, 0.5));
        var next = cfo.Propose(new TrialSettings { TrialId = 3 })!;
        double ea = next.GetDouble("a") - backward.GetDouble("a"), eb = next.GetDouble("b") - backward.GetDouble("b");
        Math.Sqrt(ea * ea + eb * eb).Should().BeApproximately(0.1, 1e-12);
    }

    [Fact]
    public void Cfo_halves_its_step_after_two_d_proposals_without_improvement()
    {
        var space = new SearchSpace().Uniform("a", 0, 1);
        var cfo = new CostFrugalTuner(space, seed: 1, initialStep: 0.2, minStep: 0.01);
        var p = cfo.Propose(new TrialSettings { TrialId = 0 })!;
        cfo.Update(Result(0, p, 0));
        for (int i = 1; i <= 2; i++) cfo.Update(Result(i, cfo.Propose(new TrialSettings { TrialId = i })!, 1));
        cfo.Step.Should().Be(0.1);
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.0)]
    [InlineData(0.3, 0.5, 1.0)]
    [InlineData(2.0, 0.7, 1.0)]
    [InlineData(-1.0, 2.0, 0.5)]
    public void Expected_improvement_matches_its_closed_form(double mean, double std, double best)
    {
        double z = (best - mean) / std;
        double expected = (best - mean) * Normal.CDF(0, 1, z) + std * Normal.PDF(0, 1, z);
        ExpectedImprovement.Compute(mean, std, best).Should().BeApproximately(expected, 1e-7);
    }

    [Fact]
    public void Expected_improvement_hand_checked_values()
    {
        ExpectedImprovement.Compute(0, 1, 0).Should().BeApproximately(0.3989422804, 1e-7, "φ(0) when the mean equals the best");
        ExpectedImprovement.Compute(0.2, 0, 1).Should().BeApproximately(0.8, 1e-15, "no spread: the certain improvement");
        ExpectedImprovement.Compute(1.5, 0, 1).Should().Be(0, "no spread and worse: nothing to gain");
    }

    [Fact]
    public void The_surrogate_walks_FastForest_trees_exactly_as_MLNet_predicts()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 60).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var y = x.Select(p => (p[0] - 0.3) * (p[0] - 0.3) + Math.Sin(5 * p[1])).ToArray();

        // ML.NET's own FastForest model and its Score column are the reference.
        var ml = new MLContext(1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        var data = ml.Data.LoadFromEnumerable(x.Select((p, i) => new Row { Features = [(float)p[0], (float)p[1]], Label = (float)y[i] }), schema);
        var model = ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options { NumberOfTrees = 10, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = 2 }).Fit(data);
        var scores = model.Transform(data).GetColumn<float>("Score").ToArray();
        var trees = model.Model.TrainedTreeEnsemble.Trees;
        for (int i = 0; i < x.Length; i++)
            trees.Average(t => ForestSurrogate.TreeOutput(t, x[i])).Should().BeApproximately(scores[i], 1e-4);
    }

    [Fact]
    public void The_surrogate_mean_follows_the_data_and_its_trees_disagree_where_the_data_are_noisy()
    {
        var random = new Random(1);
        var x = Enumerable.Range(0, 80).Select(i => new[] { i / 79.0 }).ToArray();
        var y = x.Select(p => p[0] < 0.5 ? 0.0 : 1 + random.NextDouble()).ToArray();
        var surrogate = ForestSurrogate.Fit(x, y, trees: 20, leaves: 8);
        surrogate.Predict([0.1]).Mean.Should().BeApproximately(0, 0.05);
        surrogate.Predict([0.8]).Mean.Should().BeApproximately(1.5, 0.3);
        surrogate.Predict([0.1]).Std.Should().BeLessThan(0.01, "every tree agrees on the flat half");
        surrogate.Predict([0.8]).Std.Should().BeGreaterThan(0.02, "bagged trees fit the noise differently");
    }

    [Fact]
    public void The_fast_surrogate_fit_grows_the_same_trees_as_a_plain_MLNet_fit()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 40).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToArray();
        var y = x.Select(p => Math.Sin(4 * p[0]) + p[1] * p[2]).ToArray();
        var fast = ForestSurrogate.Fit(x, y, trees: 10, leaves: 10, seed: 9, context: new MLContext(1));

        // The reference: LoadFromEnumerable, FastTree's forced collections left on, fitted on this (non-pool) thread.
        var ml = new MLContext(1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3);
        var data = ml.Data.LoadFromEnumerable(x.Select((p, i) => new Row { Features = Array.ConvertAll(p, v => (float)v), Label = (float)y[i] }), schema);
        var reference = ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            NumberOfTrees = 10, NumberOfLeaves = 10, MinimumExampleCountPerLeaf = 2, NumberOfThreads = 1, Seed = 9,
            BaggingSize = 1, BaggingExampleFraction = 0.7, FeatureFraction = 1,
        }).Fit(data).Model.TrainedTreeEnsemble.Trees;

        ForestSurrogate.SkipsForcedCollections.Should().BeTrue("ML.NET 6 has FastTreeTrainerBase.AllowGC; an upgrade that drops it makes fits slower, not wrong");
        fast.Trees.Should().HaveCount(reference.Count);
        for (int t = 0; t < reference.Count; t++)
        {
            fast.Trees[t].NumericalSplitFeatureIndexes.ToArray().Should().Equal(reference[t].NumericalSplitFeatureIndexes.ToArray());
            fast.Trees[t].NumericalSplitThresholds.ToArray().Should().Equal(reference[t].NumericalSplitThresholds.ToArray());
            fast.Trees[t].LeafValues.ToArray().Should().Equal(reference[t].LeafValues.ToArray());
        }
    }

    [Fact]
    public void Batch_prediction_equals_point_by_point_prediction_exactly()
    {
        var random = new Random(4);
        var x = Enumerable.Range(0, 50).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var surrogate = ForestSurrogate.Fit(x, x.Select(p => p[0] * p[0] - p[1]).ToList(), trees: 10, leaves: 6, seed: 2);
        var points = Enumerable.Range(0, 300).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var mean = new double[points.Length];
        var std = new double[points.Length];
        surrogate.PredictMany(points, mean, std);
        for (int i = 0; i < points.Length; i++) (mean[i], std[i]).Should().Be(surrogate.Predict(points[i]));
    }

    [Fact]
    public void Smac_proposals_are_those_of_the_implementation_before_its_speed_up()
    {
        // Recorded before the fit was moved to an in-memory view on a pool thread and candidates were scored in batches.
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "smac-seed7-proposals.txt")).Where(l => !l.StartsWith('#')).ToList();
        foreach (var function in new[] { LLMML.Sweeps.Benchmarks.TestFunction.Branin, LLMML.Sweeps.Benchmarks.TestFunction.Hartmann6 })
        {
            int at = lines.IndexOf(function.Name);
            var expected = lines.Skip(at + 1).Take(15).ToList();
            var smac = new SmacTuner(function.Space, seed: 7);
            var proposed = new List<string>();
            for (int i = 0; i < 25; i++)
            {
                var p = smac.Propose(new TrialSettings { TrialId = i })!;
                smac.Update(Result(i, p, function.Evaluate(p)));
                if (i >= 10) proposed.Add(p.ToString());
            }
            proposed.Should().Equal(expected, $"{function.Name}: same seed, same proposals");
        }
    }

    [Fact]
    public void Smac_proposes_the_candidate_of_highest_expected_improvement_under_its_surrogate()
    {
        var space = new SearchSpace().Uniform("x", 0, 1);
        var smac = new SmacTuner(space, seed: 2, numberInitialPopulation: 8, numberOfRandomCandidates: 200);
        for (int i = 0; i < 8; i++)
        {
            var p = smac.Propose(new TrialSettings { TrialId = i })!;
            double v = p.GetDouble("x");
            smac.Update(Result(i, p, (v - 0.7) * (v - 0.7)));
        }
        var proposal = smac.Propose(new TrialSettings { TrialId = 8 })!;
        var surrogate = smac.Surrogate!;
        double best = smac.History.Min(h => h.Loss);
        double Ei(double v) { var (m, s) = surrogate.Predict([v]); return ExpectedImprovement.Compute(m, s, best); }
        // A dense scan of the 1-d space under the same surrogate: nothing beats the proposal's EI by more than scan noise.
        double proposed = Ei(proposal.GetDouble("x"));
        double scanMax = Enumerable.Range(0, 1001).Max(i => Ei(i / 1000.0));
        proposed.Should().BeGreaterThanOrEqualTo(scanMax * 0.95);
        proposed.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Model_based_and_cost_frugal_tuners_find_a_quadratic_minimum_better_than_their_first_guess()
    {
        var space = new SearchSpace().Uniform("a", 0, 1).Uniform("b", 0, 1);
        var runner = new DelegateTrialRunner(c => new TrialMetrics(Math.Pow(c.Parameter.GetDouble("a") - 0.2, 2) + Math.Pow(c.Parameter.GetDouble("b") - 0.8, 2)));
        foreach (var kind in new[] { TunerKind.Cfo, TunerKind.Smac })
        {
            var result = Sweep.Run(Tuner.Create(kind, space, 1), runner, new SweepOptions { MaxTrials = 40, IsMaximizing = false });
            result.BestOrThrow.Metric.Should().BeLessThan(0.01, $"{kind} should get within 0.1 of (0.2, 0.8) in 40 trials");
        }
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }
}
