using LLMML.Eigenpruning.Transforms;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using Microsoft.ML;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

public class BadInputTests
{
    [Fact]
    public void EmptyDataIsNamed()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var fit = () => ml.Llm().Eigenprune(EstimatorTests.Options(), lm).Fit(EstimatorTests.Rows(ml, 0));
        fit.Should().Throw<ArgumentException>().WithMessage("*training rows*none*");
        var one = () => ml.Llm().Eigenprune(EstimatorTests.Options(), lm).Fit(EstimatorTests.Rows(ml, 1));
        one.Should().Throw<ArgumentException>().WithMessage("*at least two examples*");
    }

    [Fact]
    public void MultiTokenAnswersAreRejectedWhereOneTokenIsRequired()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var options = EstimatorTests.Options(o => { o.SingleTokenAnswers = true; o.AnswerTerminator = ""; });
        var fit = () => ml.Llm().Eigenprune(options, lm).Fit(EstimatorTests.Rows(ml, 4));
        // " 7" is two characters, so two tokens for a character model
        fit.Should().Throw<ArgumentException>().WithMessage("Row 0: the answer continuation ' *' is 2 tokens*SingleTokenAnswers*");
        var withTerminator = () => EstimatorTests.Options(o => o.SingleTokenAnswers = true).Validate();
        withTerminator.Should().Throw<ArgumentException>().WithMessage("*AnswerTerminator*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void AFractionOutsideZeroOneIsNamed(double fraction)
    {
        var create = () => new MLContext().Llm().Eigenprune(EstimatorTests.Options(o => o.Fraction = fraction), TinyTask.Model());
        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Fraction must lie strictly between 0 and 1*");
    }

    [Fact]
    public void ConflictingSelectionsAreNamed()
    {
        var create = () => EstimatorTests.Options(o => { o.Fraction = 0.1; o.Count = 3; }).Validate();
        create.Should().Throw<ArgumentException>().WithMessage("Set only one of Fraction*Count*");
    }

    [Fact]
    public void NonFiniteScoresAreReported()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        using (no_grad()) lm.Model.layers[1].mlp.down_proj.parameters().First().fill_(float.PositiveInfinity);
        var fit = () => ml.Llm().Eigenprune(EstimatorTests.Options(), lm).Fit(EstimatorTests.Rows(ml, 4));
        fit.Should().Throw<InvalidOperationException>().WithMessage("The score of singular value L*not finite*");
    }

    [Fact]
    public void MeanAblationWithoutABiasIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var tokenizer = new CharacterTokenizer(TinyTask.Alphabet);
        var config = new TransformerConfig
        {
            ModelType = "llama", VocabularySize = tokenizer.VocabularySize, HiddenSize = 16, NumLayers = 1, NumHeads = 2,
            IntermediateSize = 24, MaxPositionEmbeddings = 32, Activation = "silu", PadTokenId = tokenizer.PadId,
        }.Validate();
        using var lm = new LanguageModel(new CausalLanguageModel(config), tokenizer);
        var fit = () => ml.Llm().Eigenprune(EstimatorTests.Options(o => o.Fraction = 0.5), lm).Fit(EstimatorTests.Rows(ml, 4));
        fit.Should().Throw<InvalidOperationException>().WithMessage("*layer 0 Key has no bias (llama); use Ablation.Zero*");
        using var zero = ml.Llm().Eigenprune(EstimatorTests.Options(o => { o.Fraction = 0.5; o.Ablation = Ablation.Zero; }), lm).Fit(EstimatorTests.Rows(ml, 4));
        zero.Report.Candidates.Should().Be(16);                                 // 2 key heads × rank 8
        zero.Report.Pruned.Should().HaveCount(8);
    }

    [Fact]
    public void MissingColumnsAndMatricesAreNamed()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var noPrompt = () => ml.Llm().Eigenprune(EstimatorTests.Options(o => o.PromptColumn = "Question"), lm).Fit(EstimatorTests.Rows(ml, 4));
        noPrompt.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Question'*not found*");
        var gate = () => ml.Llm().Eigenprune(EstimatorTests.Options(o => o.Matrices = [WeightKind.MlpGate]), lm).Fit(EstimatorTests.Rows(ml, 4));
        gate.Should().Throw<ArgumentException>().WithMessage("*mlp-gate does not exist in gpt2*");
        var layer = () => ml.Llm().Eigenprune(EstimatorTests.Options(o => o.Layers = [5]), lm).Fit(EstimatorTests.Rows(ml, 4));
        layer.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Layer 5 does not exist*");
    }

    [Fact]
    public void CancellationStopsTheScoringPass()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var fit = () => ml.Llm().Eigenprune(EstimatorTests.Options(o => o.CancellationToken = cancel.Token), lm).Fit(EstimatorTests.Rows(ml, 8));
        fit.Should().Throw<OperationCanceledException>();
    }
}
