using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.TorchSharp;
using static LLMML.Scoring.Tests.TinyScoringSetup;

namespace LLMML.Scoring.Tests;

/// <summary>
/// Microsoft.ML.TorchSharp (ML.NET's text classification, sentence similarity, NER and QA on downloaded RoBERTa
/// weights) and LLMML live in one process on one TorchSharp. Its Fit downloads weights, which is not possible
/// offline, so only construction is exercised here.
/// </summary>
public sealed class MLNetTorchSharpCoexistenceTests
{
    [Fact]
    public void MLNet_TorchSharp_components_and_LLMML_share_one_TorchSharp_in_one_process()
    {
        var ml = new MLContext(seed: 1);
        var classifier = ml.MulticlassClassification.Trainers.TextClassification(labelColumnName: "Label", sentence1ColumnName: "Prompt");
        classifier.Should().NotBeNull();

        using var lm = CreateModel();
        var task = FixedTask("tiny", Answers, Prompts(2).Select(p => new TaskExample(p, "1")).ToArray());
        var data = Load(ml, task);
        var scored = ml.Llm().ScoreAnswers(new ScoreAnswersOptions { AnswerSet = Answers }, lm).Fit(data).Transform(data);
        scored.GetColumn<uint>("PredictedLabel").Should().HaveCount(2);

        var referenced = typeof(TorchSharpCatalog).Assembly.GetReferencedAssemblies().Single(a => a.Name == "TorchSharp");
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "TorchSharp").ToArray();
        loaded.Should().ContainSingle("one TorchSharp serves both");
        loaded[0].GetName().Version.Should().BeGreaterThanOrEqualTo(referenced.Version!, "ML.NET's components bind to the TorchSharp LLMML loaded");
    }
}
