using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using static LLMML.Scoring.Tests.TinyScoringSetup;

namespace LLMML.Scoring.Tests;

/// <summary>What an ML.NET user does by habit: map their own label, serve with a PredictionEngine fed only the prompt.</summary>
public sealed class MLNetConventionTests : IDisposable
{
    private readonly LanguageModel _lm = CreateModel();

    public void Dispose() => _lm.Dispose();

    public sealed class Row
    {
        public string Prompt { get; set; } = "";

        public string Answer { get; set; } = "";
    }

    public sealed class AnswerOnly
    {
        public string Answer { get; set; } = "";
    }

    public sealed class PromptOnly
    {
        public string Prompt { get; set; } = "";
    }

    public sealed class Prediction
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }

    // Answers in an order of appearance that differs from the answer set's.
    private static Row[] Rows() => Prompts(6).Select((p, i) => new Row { Prompt = p, Answer = Answers[(Answers.Length - 1 - i) % Answers.Length] }).ToArray();

    private ScoreAnswersOptions Options() => new() { AnswerSet = Answers, AnswerColumn = "Answer", BatchSize = 4 };

    [Fact]
    public void A_label_mapped_in_order_of_appearance_is_refused_naming_both_key_orders()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label", "Answer").Fit(ml.Data.LoadFromEnumerable(Rows())).Transform(ml.Data.LoadFromEnumerable(Rows()));

        var fit = () => ml.Llm().ScoreAnswers(Options(), _lm).Fit(data);

        fit.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("'Label' has key values [\"no\", \"yes\"").And.Contain("answer set [\"0\", \"1\"").And.Contain("keyData");
    }

    [Fact]
    public void A_label_mapped_with_the_answer_set_as_key_data_scores_the_same_micro_accuracy_as_a_direct_count()
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows();
        var keyData = ml.Data.LoadFromEnumerable(Answers.Select(a => new AnswerOnly { Answer = a }));
        var data = ml.Transforms.Conversion.MapValueToKey("Label", "Answer", keyData: keyData).Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));

        var scored = ml.Llm().ScoreAnswers(Options(), _lm).Fit(data).Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored);

        var predicted = scored.GetColumn<uint>("PredictedLabel").Select(k => Answers[k - 1]).ToArray();
        var expected = predicted.Zip(rows, (p, r) => p == r.Answer ? 1.0 : 0.0).Average();
        metrics.MicroAccuracy.Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void A_prediction_engine_fed_only_the_prompt_predicts_without_the_gold_answer()
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows();
        var model = ml.Llm().ScoreAnswers(Options(), _lm).Fit(ml.Data.LoadFromEnumerable(rows));

        var schema = model.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<PromptOnly>()).Schema);
        schema.GetColumnOrNull(LlmMetrics.AnswerLogLikelihoodColumn).Should().BeNull("there is no gold answer to score");
        schema.GetColumnOrNull("PredictedLabel").Should().NotBeNull();

        var engine = ml.Model.CreatePredictionEngine<PromptOnly, Prediction>(model);
        var full = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<uint>("PredictedLabel").ToArray();
        for (var i = 0; i < rows.Length; i++)
            engine.Predict(new PromptOnly { Prompt = rows[i].Prompt }).PredictedLabel.Should().Be(full[i], $"row {i} predicts the same with or without its answer");
    }
}
