using LLMML.Complexity.Coding;
using LLMML.Complexity.Strategies;
using LLMML.LanguageModels.Training;
using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Tests.Strategies;

public class PrequentialCodeTests
{
    private static TrainingOptions Options(int steps) => new() { LearningRate = 3e-3, MaxSteps = steps, WarmupSteps = 1, Seed = 5 };

    [Fact]
    public void DecodingRetrainsTheModelAndRecoversTheExamples()
    {
        using var initial = TinyModels.Create(seed: 2, context: 16);
        var examples = TinyModels.SumRows(11);
        using var encoding = initial.Clone();
        var tokens = examples.Select(e => TrainingTargets.For(encoding, e)).ToArray();

        var run = PrequentialTrainingStrategy.Train(encoding, examples, tokens, batchSize: 4, Options(6), null, default);

        using var decoding = initial.Clone();
        var decoded = PrequentialTrainingStrategy.Decode(decoding, run.Code, batchSize: 4, Options(6));
        decoded.Should().Equal(examples);
        // Both ends trained identically, so the decoder ends with the encoder's model.
        foreach (var ((name, a), (_, b)) in encoding.Model.named_parameters().Zip(decoding.Model.named_parameters()))
            a.allclose(b, 0, 0).Should().BeTrue(name);
    }

    [Fact]
    public void TheFirstBatchCostsWhatTheUntrainedModelSays()
    {
        // With one batch holding every example, the code is γ(N) + γ(window) + the examples coded under the initial model.
        using var initial = TinyModels.Create(seed: 4);
        var examples = TinyModels.SumRows(5);
        var coder = new LanguageModelCoder(initial);
        var window = examples.Max(e => TaskFormat.FullText(e.Prompt, e.Answer).Length) + 1;
        var expected = EliasGamma.Length(5) + EliasGamma.Length(window) + examples.Sum(e => TinyModels.NaiveBits(initial, coder.StartId,
            coder.Tokens(TaskFormat.FullText(e.Prompt, e.Answer)).Append(coder.EndId).ToArray()));
        using var model = initial.Clone();
        var tokens = examples.Select(e => TrainingTargets.For(model, e)).ToArray();

        var run = PrequentialTrainingStrategy.Train(model, examples, tokens, batchSize: 8, Options(3), null, default);

        run.IdealBits.Should().BeApproximately(expected, 1e-2);
        run.Code.BitLength.Should().BeLessThanOrEqualTo((long)Math.Floor(expected + 2 + 1e-2));
        run.Training.StepsCompleted.Should().Be(3);
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
        var act = () => PrequentialTrainingStrategy.Train(model, examples, tokens, 4, Options(1), null, default);
        act.Should().Throw<ArgumentException>().WithMessage("*separator*");
    }
}
