using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Training;
using LLMML.LanguageModels.Tests.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Generation;

public class MemoryTests
{
    [Fact]
    public void FiveHundredForwardPassesDoNotGrowTheLiveTensorCount()
    {
        using var model = TinyModels.Create("qwen2", seed: 81);
        using var ids = tensor(TinyModels.Ids(12, model.Config.VocabularySize, 1), [2, 6]);
        using var mask = tensor(new long[] { 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 6]);
        using var noGrad = no_grad();
        void Pass()
        {
            using var scope = NewDisposeScope();
            model.forward(ids, mask, null);
        }
        for (var i = 0; i < 5; i++) Pass();
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 500; i++) Pass();
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);

        // The same without an enclosing scope: the caller disposes the logits.
        for (var i = 0; i < 50; i++) model.forward(ids, mask, null).Dispose();
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }

    [Fact]
    public void GenerationAndScoringLeaveNoLiveTensors()
    {
        using var model = TinyModels.Create("phi", seed: 82);
        var prompts = new[] { new[] { 1, 2, 3 }, new[] { 4 } };
        TokenGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 3, StopTokenIds = [] });
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 5; i++)
        {
            TokenGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 10, Temperature = 1, TopK = 5, TopP = 0.9, Seed = i, StopTokenIds = [] });
            ContinuationScorer.TokenLogProbabilities(model, [new([1, 2, 3], [[5, 6], [5, 7, 8], [9]]), new([4], [[7]])]);
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
    }

    [Fact]
    public void BuildingCloningAndTrainingAModelLeaveOnlyItsParameters()
    {
        var config = TinyModels.Gpt2();
        using (new CausalLanguageModel(config)) { }
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var model = new CausalLanguageModel(config))
        {
            using var ids = tensor(TinyModels.Ids(8, config.VocabularySize, 1), [2, 4]);
            var parameters = model.parameters().Count();
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live + parameters + 1, "a new model holds its parameters (and the ids)");
            var loop = new TrainingLoop();
            loop.Run(model, _ => model.forward(ids).sum() * 1e-3, new TrainingOptions { MaxSteps = 2 });
            // Each parameter now also holds its gradient: one handle, read through .grad, is allowed per parameter.
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().BeLessThanOrEqualTo(live + 2 * parameters + 1, "a training run leaves no handles behind");
            var afterOne = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            loop.Run(model, _ => model.forward(ids).sum() * 1e-3, new TrainingOptions { MaxSteps = 2 });
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(afterOne, "a second run adds nothing");
        }
    }
}
