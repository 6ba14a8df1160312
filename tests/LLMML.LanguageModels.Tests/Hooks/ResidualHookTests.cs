using LLMML.LanguageModels.Tests.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Hooks;

public class ResidualHookTests
{
    public static TheoryData<string> Families => TinyModels.Families;

    private static Tensor Run(LLMML.LanguageModels.Modeling.CausalLanguageModel model, long[] ids)
    {
        using var noGrad = no_grad();
        using var input = tensor(ids, [1, ids.Length]);
        return model.forward(input);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void OverwritingWithTheSameValueIsANoOp(string family)
    {
        using var model = TinyModels.Create(family, seed: 51);
        var ids = TinyModels.Ids(6, model.Config.VocabularySize, 1);
        using var plain = Run(model, ids);
        var calls = 0;
        using (model.AddResidualHook((_, r) => { calls++; return r.clone(); }))
        {
            using var hooked = Run(model, ids);
            hooked.allclose(plain, rtol: 0, atol: 0).Should().BeTrue();
        }
        calls.Should().Be(model.Config.NumLayers + 1);
        // the handle removed the hook
        using var after = Run(model, ids);
        calls.Should().Be(model.Config.NumLayers + 1);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void PatchingTheResidualFromAnotherInputReproducesThatInputDownstream(string family)
    {
        using var model = TinyModels.Create(family, seed: 52);
        var a = TinyModels.Ids(7, model.Config.VocabularySize, 2);
        var b = TinyModels.Ids(7, model.Config.VocabularySize, 3);
        Tensor? captured = null;
        using (model.AddResidualHook((layer, r) => { if (layer == 1) captured = r.clone().DetachFromDisposeScope(); return null; }))
            Run(model, a).Dispose();
        using var logitsA = Run(model, a);
        using var logitsB = Run(model, b);
        using (model.AddResidualHook((layer, r) => layer == 1 ? captured : null))
        {
            using var patched = Run(model, b);
            patched.allclose(logitsA, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
            patched.allclose(logitsB, rtol: 1e-3, atol: 1e-3).Should().BeFalse();
        }
        captured!.Dispose();
    }

    [Fact]
    public void ZeroingTheFinalResidualGivesLogitsOfTheNormBiasAlone()
    {
        // LayerNorm(0) = its bias, so logits = wte · ln_f.bias at every position (GPT-2 ties the head to wte).
        using var model = TinyModels.Create("gpt2", seed: 53);
        var finalLayer = model.Config.NumLayers;
        using var hook = model.AddResidualHook((layer, r) => layer == finalLayer ? zeros_like(r) : null);
        using var logits = Run(model, TinyModels.Ids(5, model.Config.VocabularySize, 4));
        var bias = model.norm.named_parameters().Single(p => p.name == "bias").parameter;
        using var expected = model.TokenEmbedding.matmul(bias);
        for (var t = 0; t < 5; t++)
            logits[0, t].allclose(expected, 1e-5, 1e-5).Should().BeTrue();
    }

    [Fact]
    public void ReplacementOfTheWrongShapeIsRejected()
    {
        using var model = TinyModels.Create("phi");
        using var hook = model.AddResidualHook((layer, r) => layer == 2 ? zeros(1, 1, 3) : null);
        FluentActions.Invoking(() => Run(model, [1, 2, 3])).Should().Throw<InvalidOperationException>().WithMessage("*layer 2*");
    }
}
