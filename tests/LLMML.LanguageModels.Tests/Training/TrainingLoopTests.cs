using LLMML.LanguageModels.Training;
using TorchSharp;
using static LLMML.LanguageModels.Tests.Training.TrainingFixtures;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Training;

public class TrainingLoopTests
{
    [Fact]
    public void MatchesANaiveDoubleAdamWWithWarmupCosineDecayAndClipping()
    {
        // y = x·Wᵀ + b on a fixed batch, loss = mean squared error; the reference below differentiates it by hand.
        var (x, y) = Regression(8);
        var model = nn.Linear(3, 2);
        double[,] w = { { 0.1, -0.2, 0.3 }, { 0.05, 0.4, -0.1 } };
        double[] b = { 0.2, -0.3 };
        using (torch.no_grad())
        {
            model.weight!.copy_(torch.tensor(new[] { 0.1f, -0.2f, 0.3f, 0.05f, 0.4f, -0.1f }, [2, 3]));
            model.bias!.copy_(torch.tensor(new[] { 0.2f, -0.3f }));
        }

        var options = new TrainingOptions
        {
            LearningRate = 0.05, MinLearningRate = 0.005, WarmupSteps = 3, MaxSteps = 20,
            WeightDecay = 0.1, MaxGradientNorm = 0.05, Beta1 = 0.9, Beta2 = 0.99, Epsilon = 1e-8,
        };
        var result = new TrainingLoop().Run(model, _ => (model.call(x) - y).pow(2).mean(), options);

        var xs = x.to_type(ScalarType.Float64).data<double>().ToArray();
        var ys = y.to_type(ScalarType.Float64).data<double>().ToArray();
        var norms = NaiveAdamW(w, b, xs, ys, options);
        result.GradientNorms.Should().HaveCount(20);
        for (var i = 0; i < 20; i++)
            result.GradientNorms[i].Should().BeApproximately(norms[i], 1e-5, $"step {i} pre-clip gradient norm");
        norms.Count(n => n > 0.05).Should().BeGreaterThan(3, "clipping must be active in this test");
        model.weight!.to_type(ScalarType.Float64).data<double>().ToArray().Should()
            .BeEquivalentTo(w.Cast<double>(), o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 2e-5)).WhenTypeIs<double>());
        model.bias!.to_type(ScalarType.Float64).data<double>().ToArray().Should()
            .BeEquivalentTo(b, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 2e-5)).WhenTypeIs<double>());
    }

    [Fact]
    public void ALearningRateScaleMovesEachParameterAtItsOwnRate()
    {
        // Adam's first step moves every coordinate by lr·g/(|g| + ε) ≈ ±lr, so the bias (scale 10) moves 10× the weight.
        var (x, y) = Regression(8);
        var model = nn.Linear(3, 2);
        var w0 = model.weight!.detach().clone();
        var b0 = model.bias!.detach().clone();
        var options = new TrainingOptions
        {
            LearningRate = 1e-3, MinLearningRate = 1e-3, MaxSteps = 1, WeightDecay = 0, MaxGradientNorm = null,
            LearningRateScale = name => name == "bias" ? 10 : 1,
        };
        new TrainingLoop().Run(model, _ => (model.call(x) - y).pow(2).mean(), options);
        (model.weight!.detach() - w0).abs().max().item<float>().Should().BeApproximately(1e-3f, 1e-5f);
        (model.bias!.detach() - b0).abs().max().item<float>().Should().BeApproximately(1e-2f, 1e-4f);
        var bad = new TrainingOptions { MaxSteps = 1, LearningRateScale = _ => 0 };
        var act = () => new TrainingLoop().Run(model, _ => (model.call(x) - y).pow(2).mean(), bad);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LearningRateScale must be positive*");
    }

    /// <summary>AdamW (decoupled decay on W only), warm-up + cosine, global-norm clipping, written out in doubles.</summary>
    private static List<double> NaiveAdamW(double[,] w, double[] b, double[] x, double[] y, TrainingOptions o)
    {
        const int n = 8;
        double[,] mw = new double[2, 3], vw = new double[2, 3];
        double[] mb = new double[2], vb = new double[2];
        var norms = new List<double>();
        for (var t = 1; t <= o.MaxSteps; t++)
        {
            var s = t - 1;
            var lr = s < o.WarmupSteps
                ? o.LearningRate * (s + 1) / o.WarmupSteps
                : o.MinLearningRate + 0.5 * (o.LearningRate - o.MinLearningRate) * (1 + Math.Cos(Math.PI * (s - o.WarmupSteps) / (o.MaxSteps - o.WarmupSteps)));
            double[,] gw = new double[2, 3];
            double[] gb = new double[2];
            for (var i = 0; i < n; i++)
                for (var k = 0; k < 2; k++)
                {
                    var r = b[k] - y[i * 2 + k];
                    for (var j = 0; j < 3; j++)
                        r += w[k, j] * x[i * 3 + j];
                    var d = 2 * r / (n * 2);
                    gb[k] += d;
                    for (var j = 0; j < 3; j++)
                        gw[k, j] += d * x[i * 3 + j];
                }

            var norm = Math.Sqrt(gw.Cast<double>().Sum(g => g * g) + gb.Sum(g => g * g));
            norms.Add(norm);
            var scale = Math.Min(1, o.MaxGradientNorm!.Value / (norm + 1e-6));
            var c1 = 1 - Math.Pow(o.Beta1, t);
            var c2 = 1 - Math.Pow(o.Beta2, t);
            for (var k = 0; k < 2; k++)
            {
                for (var j = 0; j < 3; j++)
                {
                    var g = gw[k, j] * scale;
                    w[k, j] *= 1 - lr * o.WeightDecay;
                    mw[k, j] = o.Beta1 * mw[k, j] + (1 - o.Beta1) * g;
                    vw[k, j] = o.Beta2 * vw[k, j] + (1 - o.Beta2) * g * g;
                    w[k, j] -= lr * (mw[k, j] / c1) / (Math.Sqrt(vw[k, j] / c2) + o.Epsilon);
                }

                var gbk = gb[k] * scale;
                mb[k] = o.Beta1 * mb[k] + (1 - o.Beta1) * gbk;
                vb[k] = o.Beta2 * vb[k] + (1 - o.Beta2) * gbk * gbk;
                b[k] -= lr * (mb[k] / c1) / (Math.Sqrt(vb[k] / c2) + o.Epsilon);
            }
        }

        return norms;
    }

    [Fact]
    public void LossDecreasesOnASmallRegressionProblem()
    {
        var (x, y) = Regression(64);
        var model = Mlp();
        var progress = new SyncProgress(_ => { });

        var result = new TrainingLoop().Run(model, _ => Mse(model, x, y),
            new TrainingOptions { LearningRate = 0.02, WarmupSteps = 10, MaxSteps = 200, Stage = "fit" }, progress);

        result.StepsCompleted.Should().Be(200);
        result.Cancelled.Should().BeFalse();
        result.Losses[^1].Should().BeLessThan(0.1 * result.Losses[0]);
        progress.Updates.Should().HaveCount(200);
        progress.Updates[^1].Should().Match<LLMML.Foundation.Progress.ProgressUpdate>(u => u.Stage == "fit" && u.Completed == 200 && u.Total == 200);
        progress.Updates[^1].Metrics!["loss"].Should().Be(result.Losses[^1]);
        progress.Updates[5].Metrics!["lr"].Should().BeApproximately(0.02 * 6 / 10, 1e-12);
        progress.Updates[5].Metrics!.Should().ContainKey("grad_norm");
    }

    [Fact]
    public void ClippingBoundsTheGlobalNormOfTheAppliedGradient()
    {
        // With β1 = β2 = 0 (no bias correction at t = 1) and lr = ε = 10⁶ ≫ |g|, AdamW's first update is
        // lr·g/(|g| + ε) ≈ g: the parameter change is the (clipped) gradient the optimizer was given.
        var (x, y) = Regression(16);
        var model = Mlp();
        var before = Snapshot(model);
        var options = new TrainingOptions
        {
            LearningRate = 1e6, MaxSteps = 1, WeightDecay = 0, Beta1 = 0, Beta2 = 0, Epsilon = 1e6, MaxGradientNorm = 1e-3,
        };

        var result = new TrainingLoop().Run(model, _ => 100 * Mse(model, x, y), options);

        var after = Snapshot(model);
        var applied = Math.Sqrt(before.Keys.Sum(k => before[k].Zip(after[k], (p, q) => (p - q) * (p - q)).Sum()));
        result.GradientNorms[0].Should().BeGreaterThan(0.1, "the raw gradient must be far above the bound");
        applied.Should().BeApproximately(1e-3, 1e-5, "the applied gradient's global norm equals the bound");
    }

    [Fact]
    public void AccumulatingKMicroBatchesOfBEqualsOneStepOnKTimesB()
    {
        var (x, y) = Regression(16);
        var full = Mlp();
        var accumulated = Mlp();
        var options = new TrainingOptions { LearningRate = 0.01, MaxSteps = 5, WeightDecay = 0.01, MaxGradientNorm = 0.5 };

        new TrainingLoop().Run(full, _ => Mse(full, x, y), options);
        var accumulatedOptions = new TrainingOptions { LearningRate = 0.01, MaxSteps = 5, WeightDecay = 0.01, MaxGradientNorm = 0.5, GradientAccumulationSteps = 4 };
        var seen = new List<int>();
        new TrainingLoop().Run(accumulated, step =>
        {
            seen.Add(step.MicroBatch);
            using var rows = torch.arange(step.MicroBatch * 4, step.MicroBatch * 4 + 4);
            return Mse(accumulated, x.index_select(0, rows), y.index_select(0, rows));
        }, accumulatedOptions);

        seen.Should().Equal(Enumerable.Repeat(new[] { 0, 1, 2, 3 }, 5).SelectMany(m => m));
        ShouldBeClose(Snapshot(accumulated), Snapshot(full), 1e-6);
        Snapshot(full)["fc1.weight"].Should().NotEqual(Snapshot(Mlp())["fc1.weight"], "training must have moved the weights");
    }

    [Fact]
    public void FrozenParametersStayUnchanged()
    {
        var (x, y) = Regression(16);
        var model = Mlp();
        foreach (var (name, parameter) in model.named_parameters())
            parameter.requires_grad = name.StartsWith("fc1", StringComparison.Ordinal);
        var before = Snapshot(model);
        using var dir = new Tokenization.TempDirectory();

        new TrainingLoop().Run(model, _ => Mse(model, x, y),
            new TrainingOptions { LearningRate = 0.05, MaxSteps = 10, WeightDecay = 0.5, CheckpointDirectory = dir.Path });

        var after = Snapshot(model);
        after["fc2.weight"].Should().Equal(before["fc2.weight"]);
        after["fc2.bias"].Should().Equal(before["fc2.bias"]);
        after["fc1.weight"].Should().NotEqual(before["fc1.weight"]);
        TrainingCheckpoint.ReadInfo(dir.File(TrainingCheckpoint.FileName)).TrainableParameters.Should().Equal("fc1.weight", "fc1.bias");
    }

    [Fact]
    public void ResumingFromACheckpointRepeatsTheUninterruptedRunExactly()
    {
        // Dropout and per-step random batches make the run depend on the RNG; the loop reseeds it per micro-batch.
        var (x, y) = Regression(64);
        Tensor Loss(nn.Module<Tensor, Tensor> model, TrainingStep step)
        {
            var random = new Random(step.Seed);
            using var rows = torch.tensor(Enumerable.Range(0, 8).Select(_ => (long)random.Next(64)).ToArray());
            return Mse(model, x.index_select(0, rows), y.index_select(0, rows));
        }

        TrainingOptions Options(string? dir) => new()
        {
            LearningRate = 0.01, WarmupSteps = 3, MaxSteps = 12, GradientAccumulationSteps = 2, Seed = 123,
            CheckpointDirectory = dir, CheckpointEvery = 4,
        };

        var reference = Mlp(dropout: 0.2);
        var uninterrupted = new TrainingLoop().Run(reference, s => Loss(reference, s), Options(null));

        using var dir = new Tokenization.TempDirectory();
        using var cts = new CancellationTokenSource();
        var first = Mlp(dropout: 0.2);
        var cancelAfter5 = new SyncProgress(u => { if (u.Completed == 5) cts.Cancel(); });
        var partial = new TrainingLoop().Run(first, s => Loss(first, s), Options(dir.Path), cancelAfter5, cts.Token);

        partial.Cancelled.Should().BeTrue();
        partial.StepsCompleted.Should().Be(5);
        partial.CheckpointPath.Should().Be(dir.File(TrainingCheckpoint.FileName));
        Directory.GetFiles(dir.Path).Should().Equal(dir.File(TrainingCheckpoint.FileName));
        var reloaded = Mlp(seed: 99, dropout: 0.2);
        TrainingCheckpoint.LoadModel(partial.CheckpointPath!, reloaded).Step.Should().Be(5);
        ShouldEqualExactly(Snapshot(reloaded), Snapshot(first));

        var second = Mlp(seed: 55, dropout: 0.2); // other initial weights: the checkpoint must replace them
        var resumed = new TrainingLoop().Run(second, s => Loss(second, s), Options(dir.Path));

        resumed.StartStep.Should().Be(5);
        resumed.StepsCompleted.Should().Be(12);
        partial.Losses.Concat(resumed.Losses).Should().Equal(uninterrupted.Losses);
        ShouldEqualExactly(Snapshot(second), Snapshot(reference));
    }

    [Fact]
    public void ACheckpointOfAnotherSeedOrModelIsRejected()
    {
        var (x, y) = Regression(8);
        using var dir = new Tokenization.TempDirectory();
        var model = Mlp();
        new TrainingLoop().Run(model, _ => Mse(model, x, y), new TrainingOptions { MaxSteps = 2, CheckpointDirectory = dir.Path });

        FluentActions.Invoking(() => new TrainingLoop().Run(model, _ => Mse(model, x, y),
                new TrainingOptions { MaxSteps = 4, CheckpointDirectory = dir.Path, Seed = 5 }))
            .Should().Throw<InvalidDataException>().WithMessage("*seed 42*options say 5*");

        var other = nn.Sequential(("fc1", nn.Linear(3, 4)), ("fc2", nn.Linear(4, 2)));
        FluentActions.Invoking(() => new TrainingLoop().Run(other, _ => Mse(other, x, y),
                new TrainingOptions { MaxSteps = 4, CheckpointDirectory = dir.Path }))
            .Should().Throw<InvalidDataException>().WithMessage($"*{dir.File(TrainingCheckpoint.FileName)}*");

        File.WriteAllBytes(dir.File(TrainingCheckpoint.FileName), "LLMMLTC1 truncated"u8.ToArray());
        FluentActions.Invoking(() => TrainingCheckpoint.ReadInfo(dir.File(TrainingCheckpoint.FileName)))
            .Should().Throw<InvalidDataException>().WithMessage("*corrupt*");
    }

    [Fact]
    public void BadInputFailsWithAClearMessage()
    {
        var (x, y) = Regression(8);
        var model = Mlp();
        var loop = new TrainingLoop();

        FluentActions.Invoking(() => loop.Run(model, _ => model.call(x).mean([0L]), new TrainingOptions { MaxSteps = 1 }))
            .Should().Throw<ArgumentException>().WithMessage("*step 0, micro-batch 0*[2]*scalar*");
        FluentActions.Invoking(() => loop.Run(model, _ => Mse(model, x, y) * double.NaN, new TrainingOptions { MaxSteps = 1 }))
            .Should().Throw<InvalidOperationException>().WithMessage("*NaN*step 0*");
        FluentActions.Invoking(() => loop.Run(model, _ => Mse(model, x, y), new TrainingOptions { WarmupSteps = 5, MaxSteps = 2 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*WarmupSteps*");
        foreach (var p in model.parameters())
            p.requires_grad = false;
        FluentActions.Invoking(() => loop.Run(model, _ => Mse(model, x, y), new TrainingOptions { MaxSteps = 1 }))
            .Should().Throw<InvalidOperationException>().WithMessage("*requires_grad*");
    }
}
