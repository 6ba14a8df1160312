using LLMML.MLNet.Tasks;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Tokenization;
using LLMML.ModelOrganisms.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.ModelOrganisms.Tests;

public sealed class OrganismTrainerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmml-organism-" + Guid.NewGuid().ToString("N"));

    private static OrganismRecipe Tiny(OrganismKind kind) => OrganismRecipe.For(kind) with
    {
        HiddenSize = 32,
        Layers = 1,
        Heads = 2,
        ContextLength = 48,
        BatchSize = 8,
        Steps = 30,
        WarmupSteps = 3,
        LearningRate = 3e-3,
    };

    [Fact]
    public void BatchesAreNextTokenPairs()
    {
        var tokenizer = new CharacterTokenizer(OrganismRecipe.Alphabet);
        var batches = new NextTokenBatches(OrganismRecipe.PretrainingCorpus(), tokenizer, 20, 4);
        var (inputs, targets) = batches.Sample(5, CPU);
        inputs.shape.Should().Equal(4, 20);
        inputs[.., 1..].equal(targets[.., ..^1]).all().item<bool>().Should().BeTrue();
        var (again, _) = batches.Sample(5, CPU);
        inputs.equal(again).all().item<bool>().Should().BeTrue("the same seed draws the same batch");
    }

    [Fact]
    public void BaseTrainsAndPostStartsFromBase()
    {
        var baseDir = Path.Combine(_dir, "base");
        var result = OrganismTrainer.Create(Tiny(OrganismKind.Base), baseDir);
        result!.Losses[^1].Should().BeLessThan(result.Losses[0] * 0.8);

        using (var lm = LanguageModel.Load(baseDir))
        {
            lm.Tokenizer.Should().BeOfType<CharacterTokenizer>();
            lm.Config.HiddenSize.Should().Be(32);
        }

        var postDir = Path.Combine(_dir, "post");
        var post = OrganismTrainer.Create(Tiny(OrganismKind.Post), postDir, baseDirectory: baseDir);
        post!.StepsCompleted.Should().Be(30);
        using var b = LanguageModel.Load(baseDir);
        using var p = LanguageModel.Load(postDir);
        var ids = tensor(new long[] { 5, 6, 7, 8 }).unsqueeze(0);
        using var _ = no_grad();
        torch.allclose(b.Model.forward(ids), p.Model.forward(ids)).Should().BeFalse("post-training changed the weights");
    }

    [Fact]
    public void CompetingTrainsOnItsOwnCorpus()
    {
        var recipe = Tiny(OrganismKind.Competing) with { SumProbability = 0.7 };
        var data = recipe.TrainingData(TaskRegistry.Default)!;
        data.Shares.Should().ContainSingle().Which.Name.Should().Be("competing");
        var result = OrganismTrainer.Create(recipe, Path.Combine(_dir, "competing"));
        result!.Losses[^1].Should().BeLessThan(result.Losses[0] * 0.8);
    }

    [Fact]
    public void RandomIsSavedUntrained()
    {
        var dir = Path.Combine(_dir, "random");
        OrganismTrainer.Create(Tiny(OrganismKind.Random), dir).Should().BeNull();
        File.Exists(Path.Combine(dir, "model.safetensors")).Should().BeTrue();
    }

    [Fact]
    public void PostWithoutBaseFailsClearly()
    {
        var act = () => OrganismTrainer.Create(Tiny(OrganismKind.Post), Path.Combine(_dir, "post"));
        act.Should().Throw<ArgumentException>().WithMessage("*base organism*");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
