using LLMML.LanguageModels.Adapters;
using LLMML.LanguageModels.Checkpoints;
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tests.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Adapters;

public class LoraTests
{
    private static Tensor Logits(CausalLanguageModel model)
    {
        using var noGrad = no_grad();
        using var ids = tensor(TinyModels.Ids(6, model.Config.VocabularySize, 1), [1, 6]);
        return model.forward(ids);
    }

    private static void RandomiseB(IEnumerable<LoraLinear> adapters)
    {
        using var noGrad = no_grad();
        foreach (var a in adapters) a.lora_B.copy_(randn(a.lora_B.shape) * 0.5);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("qwen2")]
    [InlineData("phi")]
    public void AtInitialisationOutputsAreUnchangedAndOnlyAdaptersTrain(string family)
    {
        using var model = TinyModels.Create(family, seed: 71);
        using var before = Logits(model);
        var adapters = LoraAdapters.Apply(model, new LoraOptions { Rank = 2, Alpha = 4, TargetPattern = @"(q_proj|v_proj|down_proj)$", Seed = 5 });

        adapters.Keys.Should().BeEquivalentTo(Enumerable.Range(0, 2).SelectMany(i => new[]
            { $"layers.{i}.self_attn.q_proj", $"layers.{i}.self_attn.v_proj", $"layers.{i}.mlp.down_proj" }));
        using var after = Logits(model);
        after.allclose(before, rtol: 0, atol: 0).Should().BeTrue();

        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        trainable.Should().BeEquivalentTo(adapters.Keys.SelectMany(k => new[] { k + ".lora_A", k + ".lora_B" }));
        adapters.Values.Should().OnlyContain(a => a.lora_A.abs().sum().item<float>() > 0 && a.lora_B.abs().sum().item<float>() == 0);
    }

    [Fact]
    public void MergedEqualsUnmergedAndUnmergeRestoresTheBase()
    {
        using var model = TinyModels.Create("llama", seed: 72);
        using var baseQ = ModelWeights.Get(model, 0, WeightKind.Query);
        var adapters = LoraAdapters.Apply(model, new LoraOptions { Rank = 3, Alpha = 6, TargetPattern = "_proj$" });
        RandomiseB(adapters.Values);

        using var unmerged = Logits(model);
        LoraAdapters.MergeAll(model);
        adapters.Values.Should().OnlyContain(a => a.Merged);
        using var merged = Logits(model);
        merged.allclose(unmerged, 1e-4, 1e-4).Should().BeTrue();
        using (var mergedQ = ModelWeights.Get(model, 0, WeightKind.Query))
            mergedQ.Weight.allclose(baseQ.Weight, 1e-3, 1e-3).Should().BeFalse("the update was folded into the base weight");

        LoraAdapters.UnmergeAll(model);
        using var again = Logits(model);
        again.allclose(unmerged, 1e-4, 1e-4).Should().BeTrue();
        using var restoredQ = ModelWeights.Get(model, 0, WeightKind.Query);
        restoredQ.Weight.allclose(baseQ.Weight, 1e-5, 1e-6).Should().BeTrue();
    }

    [Fact]
    public void UpdateEqualsScaledLowRankProduct()
    {
        var linear = nn.Linear(5, 7);
        var lora = new LoraLinear(linear, rank: 2, alpha: 3);
        RandomiseB([lora]);
        using var x = randn(4, 5);
        using var noGrad = no_grad();
        using var y = lora.call(x);
        using var expected = linear.call(x) + x.matmul(lora.lora_A.t()).matmul(lora.lora_B.t()) * 1.5;
        y.allclose(expected, 1e-5, 1e-5).Should().BeTrue();
    }

    [Fact]
    public void GradientsReachOnlyTheAdapters()
    {
        using var model = TinyModels.Create("gpt2", seed: 73);
        var adapters = LoraAdapters.Apply(model, new LoraOptions { Rank = 2 });
        using var ids = tensor(TinyModels.Ids(6, model.Config.VocabularySize, 2), [1, 6]);
        model.train();
        using var loss = model.forward(ids).pow(2).mean();
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.Contains(".lora_")) p.grad.Should().NotBeNull(name);
            else p.grad.Should().BeNull(name);
        }
        adapters.Values.Should().OnlyContain(a => a.lora_B.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void MergedAdapterModelSavesAsPlainHuggingFaceCheckpoint()
    {
        using var model = TinyModels.Create("phi", seed: 74);
        var adapters = LoraAdapters.Apply(model, new LoraOptions { Rank = 2 });
        RandomiseB(adapters.Values);
        LoraAdapters.MergeAll(model);
        var dir = Path.Combine(Path.GetTempPath(), "llmml-lora-" + Guid.NewGuid().ToString("N"));
        try
        {
            ModelCheckpoint.Save(model, dir);
            using var loaded = ModelCheckpoint.Load(dir);
            using var a = Logits(model);
            using var b = Logits(loaded);
            b.allclose(a, 0, 0).Should().BeTrue();
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void PatternMatchingNothingIsAnError()
    {
        using var model = TinyModels.Create("gpt2");
        FluentActions.Invoking(() => LoraAdapters.Apply(model, new LoraOptions { TargetPattern = "nothing_here" }))
            .Should().Throw<ArgumentException>().WithMessage("*nothing_here*");
    }
}
