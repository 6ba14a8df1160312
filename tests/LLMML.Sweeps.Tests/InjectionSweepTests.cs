using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.Sweeps.Experiments;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using LLMML.Sweeps.Tuners;
using LLMML.TestFramework;
using LLMML.TracrInjection.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Sweeps.Tests;

/// <summary>The injection pipeline `llmml sweep` runs (λ × LM lr × adapter lr, exact match), on a tiny model.</summary>
public class InjectionSweepTests
{
    private const string Alphabet = TinyCountRows.Alphabet;

    private static IDataView CountRows(MLContext ml, int count, int seed) => TinyCountRows.Load(ml, count, seed);

    [Fact]
    public void A_sweep_over_lambda_and_learning_rates_reaches_the_trainer_and_scores_exact_match()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 2, hidden: 32, layers: 4, context: 72);
        var train = CountRows(ml, 6, seed: 3);
        var validation = CountRows(ml, 5, seed: 4);
        var space = SearchSpace<TracrInjectOptions>.FromJson(System.Text.Json.Nodes.JsonNode.Parse("""
            { "Injection": { "nested": {
                "Lambda": { "choice": [0.1, 10] },
                "LmLearningRate": { "choice": [0.001] },
                "AdapterLearningRate": { "choice": [0.01, 0.03] } } } }
            """)!.AsObject(), () => new TracrInjectOptions
        {
            Program = "count_x", MaxNewTokens = 3, NaturalTexts = ["the cat saw a box", "a bird sang"],
            Injection = new() { Steps = 2, TaskBatchSize = 2 },
        });
        var runner = new PipelineTrialRunner(p => ml.Llm().TracrInject(space.Create(p), lm), train, validation,
            view => new TrialMetrics(LlmMetrics.ExactMatchAccuracy(view)));
        var result = Sweep.Run(new GridSearchTuner(space), runner, new SweepOptions { MaxTrials = 10, MetricName = "ExactMatch" });

        result.Trials.Should().HaveCount(4, "2 λ × 2 adapter learning rates");
        result.Trials.Should().OnlyContain(t => t.Status == TrialStatus.Completed && t.Metric >= 0 && t.Metric <= 1);
        result.ToDataFrame().Columns.Select(c => c.Name).Should().Contain(["Injection.Lambda", "Injection.LmLearningRate", "Injection.AdapterLearningRate"]);

        // The proposed settings reach the trainer: refits of two λ differ in what they trained, a refit repeats itself,
        // and its exact match, counted here from the generated answers, is the trial's.
        TracrInjectTransformer Refit(int trial) => (TracrInjectTransformer)runner.Refit(result.Trials[trial].TrialSettings.Parameter, train);
        using var small = Refit(0);
        using var again = Refit(0);
        using var large = Refit(2);
        result.Trials[0].TrialSettings.Parameter.GetNested("Injection").GetDouble("Lambda").Should().Be(0.1);
        result.Trials[2].TrialSettings.Parameter.GetNested("Injection").GetDouble("Lambda").Should().Be(10);
        again.Report.FinalAlg.Should().Be(small.Report.FinalAlg, "same settings, same seed");
        large.Report.FinalAlg.Should().NotBe(small.Report.FinalAlg, "λ weights the alignment loss of the first step");
        var scored = small.Transform(validation);
        var generated = scored.GetColumn<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn).Select(m => m.ToString()).ToArray();
        var answers = scored.GetColumn<string>("Answer").ToArray();
        double exact = generated.Zip(answers).Count(p => AnswerMatching.IsExactMatch(p.First, p.Second)) / (double)answers.Length;
        result.Trials[0].Metric.Should().Be(exact);
    }
}
