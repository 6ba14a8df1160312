using LLMML.LanguageModels.Checkpoints;
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Tests.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Hooks;

public class ModelWeightsTests
{
    [Fact]
    public void PerHeadWeightsFollowTheYEqualsXWConvention()
    {
        using var model = TinyModels.Create("qwen2", seed: 61);   // 4 query heads, 2 kv heads, hd 4
        var attention = model.layers[1].self_attn;
        using var x = randn(3, 16);
        using var noGrad = no_grad();
        using var q = attention.q_proj.call(x);
        using var k = attention.k_proj.call(x);
        for (var h = 0; h < 4; h++)
        {
            using var w = ModelWeights.Get(model, 1, WeightKind.Query, h);
            w.Weight.shape.Should().Equal(16, 4);
            using var y = x.matmul(w.Weight) + w.Bias!;
            y.allclose(q.narrow(1, h * 4, 4), 1e-5, 1e-5).Should().BeTrue($"query head {h}");
        }
        for (var g = 0; g < 2; g++)
        {
            using var w = ModelWeights.Get(model, 1, WeightKind.Key, g);
            using var y = x.matmul(w.Weight) + w.Bias!;
            y.allclose(k.narrow(1, g * 4, 4), 1e-5, 1e-5).Should().BeTrue($"key head {g}");
        }
        // the output projection is the sum of per-head contributions plus the (absent) bias
        using var z = randn(3, 16);
        using var o = attention.o_proj.call(z);
        var sum = zeros(3, 16);
        for (var h = 0; h < 4; h++)
        {
            using var w = ModelWeights.Get(model, 1, WeightKind.Output, h);
            w.Weight.shape.Should().Equal(4, 16);
            w.Bias.Should().BeNull();
            sum = sum + z.narrow(1, h * 4, 4).matmul(w.Weight);
        }
        sum.allclose(o, 1e-5, 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Gpt2MlpMatricesEqualTheConv1DLayoutOfTheCheckpoint()
    {
        using var model = TinyModels.Create("gpt2", seed: 62);
        var hf = ModelCheckpoint.ExportStateDict(model);
        using var mlpIn = ModelWeights.Get(model, 0, WeightKind.MlpIn);
        using var mlpOut = ModelWeights.Get(model, 0, WeightKind.MlpOut);
        mlpIn.Weight.allclose(hf["transformer.h.0.mlp.c_fc.weight"], 0, 0).Should().BeTrue();
        mlpIn.Bias!.allclose(hf["transformer.h.0.mlp.c_fc.bias"], 0, 0).Should().BeTrue();
        mlpOut.Weight.allclose(hf["transformer.h.0.mlp.c_proj.weight"], 0, 0).Should().BeTrue();
        using var value = ModelWeights.Get(model, 0, WeightKind.Value, 2);   // c_attn columns 2D + 2·hd …
        value.Weight.allclose(hf["transformer.h.0.attn.c_attn.weight"].narrow(1, 32 + 8, 4), 0, 0).Should().BeTrue();
        foreach (var t in hf.Values) t.Dispose();
        FluentActions.Invoking(() => ModelWeights.Get(model, 0, WeightKind.MlpGate)).Should().Throw<ArgumentException>().WithMessage("*gate*");
    }

    [Fact]
    public void SetThenGetRoundTripsAndTouchesOnlyThatHead()
    {
        using var model = TinyModels.Create("phi", seed: 63);
        using var before0 = ModelWeights.Get(model, 1, WeightKind.Value, 0);
        using var before1 = ModelWeights.Get(model, 1, WeightKind.Value, 1);
        using var newWeight = randn(16, 8);
        using var newBias = randn(8);
        ModelWeights.Set(model, 1, WeightKind.Value, 1, newWeight, newBias);
        using var after0 = ModelWeights.Get(model, 1, WeightKind.Value, 0);
        using var after1 = ModelWeights.Get(model, 1, WeightKind.Value, 1);
        after1.Weight.allclose(newWeight, 0, 0).Should().BeTrue();
        after1.Bias!.allclose(newBias, 0, 0).Should().BeTrue();
        after0.Weight.allclose(before0.Weight, 0, 0).Should().BeTrue();
        after0.Bias!.allclose(before0.Bias!, 0, 0).Should().BeTrue();

        // Writing back what was read changes nothing (SVD-edit-write loops rely on this).
        using var logitsBefore = TinyModelsLogits(model);
        using (var w = ModelWeights.Get(model, 0, WeightKind.Output, 1)) ModelWeights.Set(model, 0, WeightKind.Output, 1, w.Weight);
        using (var w = ModelWeights.Get(model, 0, WeightKind.MlpOut)) ModelWeights.Set(model, 0, WeightKind.MlpOut, null, w.Weight, w.Bias);
        using var logitsAfter = TinyModelsLogits(model);
        logitsAfter.allclose(logitsBefore, 0, 0).Should().BeTrue();
    }

    [Fact]
    public void BadRequestsNameTheProblem()
    {
        using var model = TinyModels.Create("qwen2");
        FluentActions.Invoking(() => ModelWeights.Get(model, 0, WeightKind.Key, 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Key head 2*2*");
        FluentActions.Invoking(() => ModelWeights.Get(model, 5, WeightKind.Query)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Layer 5*");
        FluentActions.Invoking(() => ModelWeights.Get(model, 0, WeightKind.MlpIn, 0)).Should().Throw<ArgumentException>().WithMessage("*no heads*");
        using var wrong = zeros(4, 16);
        FluentActions.Invoking(() => ModelWeights.Set(model, 0, WeightKind.Query, 0, wrong)).Should().Throw<ArgumentException>().WithMessage("*[4, 16]*expected [16, 4]*");
        using var ok = zeros(4, 16);
        using var bias = zeros(16);
        FluentActions.Invoking(() => ModelWeights.Set(model, 0, WeightKind.Output, 0, ok, bias)).Should().Throw<ArgumentException>().WithMessage("*no bias*");
    }

    private static Tensor TinyModelsLogits(LLMML.LanguageModels.Modeling.CausalLanguageModel model)
    {
        using var noGrad = no_grad();
        using var ids = tensor(TinyModels.Ids(5, model.Config.VocabularySize, 9), [1, 5]);
        return model.forward(ids);
    }
}
