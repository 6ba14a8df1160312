using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Tests.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Hooks;

public class ResidualRecorderTests
{
    public static TheoryData<string> Families => TinyModels.Families;

    [Theory]
    [MemberData(nameof(Families))]
    public void RecordsTheLPlusOneResidualStreamsOfTheNaiveTransformer(string family)
    {
        using var model = TinyModels.Create(family, seed: 61);
        var naive = TinyModels.Naive(model);
        var ids = TinyModels.Ids(5, model.Config.VocabularySize, 4);
        var (_, expected) = naive.Run(ids.Select(x => (int)x).ToArray());
        using var noGrad = no_grad();
        using var input = tensor(ids, [1, ids.Length]);
        var (logits, residuals) = ResidualRecorder.RecordResiduals(model, input);
        using (logits)
        {
            residuals.Should().HaveCount(model.Config.NumLayers + 1);
            for (var layer = 0; layer < residuals.Count; layer++)
            {
                residuals[layer].shape.Should().Equal(1, ids.Length, model.Config.HiddenSize);
                var actual = residuals[layer].to_type(ScalarType.Float64).squeeze(0);
                for (var t = 0; t < ids.Length; t++)
                    for (var d = 0; d < model.Config.HiddenSize; d++)
                        actual[t, d].item<double>().Should().BeApproximately(expected[layer][t][d], 1e-4, $"{family} layer {layer} position {t} unit {d}");
                residuals[layer].Dispose();
            }
        }
    }

    [Fact]
    public void KeepingTheGradientLetsALossOnAResidualTrainTheBlocksBelowIt()
    {
        using var model = TinyModels.Create("gpt2", seed: 63);
        var ids = TinyModels.Ids(4, model.Config.VocabularySize, 5);
        using var input = tensor(ids, [1, ids.Length]);
        var (logits, detached) = ResidualRecorder.RecordResiduals(model, input);
        logits.Dispose();
        detached[1].requires_grad.Should().BeFalse();
        foreach (var r in detached) r.Dispose();
        var (logits2, kept) = ResidualRecorder.RecordResiduals(model, input, keepGradient: true);
        logits2.Dispose();
        kept[1].sum().backward();
        var block0 = model.layers[0].parameters().First(p => p.grad is not null);
        block0.grad!.abs().sum().item<float>().Should().BeGreaterThan(0);
        model.layers[1].parameters().Where(p => p.grad is not null).Sum(p => p.grad!.abs().sum().item<float>()).Should().Be(0, "block 1 comes after h_1");
        foreach (var r in kept) r.Dispose();
    }

    [Fact]
    public void ARewriteChangesWhatLaterLayersReadAndIsWhatIsRecorded()
    {
        using var model = TinyModels.Create("gpt2", seed: 62);
        var ids = TinyModels.Ids(4, model.Config.VocabularySize, 5);
        using var noGrad = no_grad();
        using var input = tensor(ids, [1, ids.Length]);
        var (plainLogits, plain) = ResidualRecorder.RecordResiduals(model, input);
        var (zeroLogits, zeroed) = ResidualRecorder.RecordResiduals(model, input, rewrite: (layer, r) => layer == 1 ? zeros_like(r) : null);
        zeroed[0].allclose(plain[0], 0, 0).Should().BeTrue();
        zeroed[1].abs().max().item<float>().Should().Be(0);
        zeroed[2].allclose(plain[2]).Should().BeFalse();
        zeroLogits.allclose(plainLogits).Should().BeFalse();
        foreach (var t in plain.Concat(zeroed).Append(plainLogits).Append(zeroLogits)) t.Dispose();
    }
}
