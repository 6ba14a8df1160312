using LLMML.Complexity.Coding;
using LLMML.Complexity.Strategies;
using LLMML.LanguageModels.Training;
using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Tests.Strategies;

public class PrequentialCodeTests
{
    private static TrainingOptions Options(int steps) => new() { LearningRate = 3e-3, MaxSteps = steps, WarmupSteps = 1, Seed = 5 };

    [Fact]
    public void TheFirstBatchCostsWhatTheUntrainedModelSays()
    {
        // With one batch holding every example, the code is the header's γ codes (N, batch, steps, seed + 1, rank + 1,
        // window, learning rate m and e) + the examples coded under the initial model; the stop step comes after.
        using var initial = TinyModels.Create(seed: 4);
        var examples = TinyModels.SumRows(5);
        var coder = new LanguageModelCoder(initial);
        var window = examples.Max(e => TaskFormat.FullText(e.Prompt, e.Answer).Length) + 1;
        var header = new long[] { 5, 8, 3, 6, 1, window, 3, 3 }.Sum(EliasGamma.Length);
        var expected = header + examples.Sum(e => TinyModels.NaiveBits(initial, coder.StartId,
            coder.Tokens(TaskFormat.FullText(e.Prompt, e.Answer)).Append(coder.EndId).ToArray()));
        using var model = initial.Clone();
        var tokens = examples.Select(e => TrainingTargets.For(model, e)).ToArray();

        var epochs = new List<TorchSharp.torch.Tensor[]>();

        var run = PrequentialTrainingStrategy.Train(model, examples, tokens, batchSize: 8, rank: 0, rate: (3, 3), Options(3), epochs, null, default);

        run.IdealBits.Should().BeApproximately(expected, 1e-2);
        var code = run.Encoder.Fork();
        EliasGamma.Encode(code, 3);
        code.Finish().BitLength.Should().BeLessThanOrEqualTo((long)Math.Floor(expected + EliasGamma.Length(3) + 2 + 1e-2));
        run.Training.StepsCompleted.Should().Be(3);
        epochs.Should().HaveCount(3, "one batch per epoch: a snapshot after each of the 3 steps");
    }

    [Fact]
    public void TrainingTargetsEndTheAnswerWithEos()
    {
        using var model = TinyModels.Create();
        var targets = TrainingTargets.For(model, new TaskExample("1 + 1 =", "12"));
        targets.Prompt.Should().Equal(model.Encode("1 + 1 ="));
        targets.Answer.Should().Equal([.. model.Encode(" 12"), model.EndOfSequenceIds[0]]);
    }

    [Fact]
    public void ExamplesWhoseAnswerHoldsTheSeparatorAreRefused()
    {
        using var model = TinyModels.Create();
        var examples = new[] { new TaskExample("1 + 1 =", "2 yes") };
        var tokens = examples.Select(e => TrainingTargets.For(model, e)).ToArray();
        var act = () => PrequentialTrainingStrategy.Train(model, examples, tokens, 4, 0, (3, 4), Options(1), [], null, default);
        act.Should().Throw<ArgumentException>().WithMessage("*separator*");
    }
}
