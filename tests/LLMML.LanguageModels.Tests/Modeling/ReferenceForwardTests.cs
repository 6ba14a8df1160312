using LLMML.LanguageModels.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Modeling;

/// <summary>The model's attention, MLP, norms and positions against the independent float64 reference, per family.</summary>
public class ReferenceForwardTests
{
    public static TheoryData<string> Families => TinyModels.Families;

    [Theory]
    [MemberData(nameof(Families))]
    public void LogitsMatchNaiveDoublePrecisionReference(string family)
    {
        using var model = TinyModels.Create(family);
        var ids = TinyModels.Ids(11, model.Config.VocabularySize, seed: 5);
        var (expected, _) = TinyModels.Naive(model).Run(ids.Select(i => (int)i).ToArray());

        var actual = TinyModels.Logits(model, ids);

        TinyModels.MaxAbsDiff(actual, expected).Should().BeLessThan(2e-4, $"{family} logits follow the HF definition");
        // A scrambled reference must be far off: the comparison can fail.
        TinyModels.MaxAbsDiff(actual, expected.Reverse().ToArray()).Should().BeGreaterThan(1e-2);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void ResidualStreamAfterEveryBlockMatchesReference(string family)
    {
        using var model = TinyModels.Create(family, seed: 3);
        var ids = TinyModels.Ids(7, model.Config.VocabularySize, seed: 9);
        var (_, expected) = TinyModels.Naive(model).Run(ids.Select(i => (int)i).ToArray());
        var seen = new Dictionary<int, double[][]>();
        using (model.AddResidualHook((layer, residual) =>
        {
            var r = residual[0].to_type(ScalarType.Float64);
            seen[layer] = Enumerable.Range(0, (int)r.shape[0]).Select(t => r[t].data<double>().ToArray()).ToArray();
            return null;
        }))
        using (no_grad())
        using (var input = tensor(ids, [1, ids.Length]))
            model.forward(input).Dispose();

        seen.Keys.Should().BeEquivalentTo(Enumerable.Range(0, model.Config.NumLayers + 1));
        for (var layer = 0; layer <= model.Config.NumLayers; layer++)
            TinyModels.MaxAbsDiff(seen[layer], expected[layer]).Should().BeLessThan(1e-4, $"{family} residual after block {layer}");
    }

    [Fact]
    public void PartialRotaryRotatesOnlyTheLeadingDimensions()
    {
        var config = TinyModels.Phi();
        config.RotaryDimensions.Should().Be(4);
        config.HeadDim.Should().Be(8);
        using var positions = tensor(new long[] { 0, 3 }, [1, 2]);
        var (cos, sin) = RotaryEmbedding.Tables(positions, config.RotaryDimensions, config.RopeTheta);
        using var x = randn(1, 2, 2, 8);
        using var rotated = RotaryEmbedding.Apply(x, cos, sin);
        // the last 4 dims pass through, position 0 is the identity
        rotated.narrow(-1, 4, 4).allclose(x.narrow(-1, 4, 4)).Should().BeTrue();
        rotated.select(2, 0).allclose(x.select(2, 0), 1e-6, 1e-6).Should().BeTrue();
        rotated.select(2, 1).allclose(x.select(2, 1)).Should().BeFalse();
        cos.Dispose();
        sin.Dispose();
    }
}

/// <summary>Attention and MLP modules in isolation (random inputs, not embeddings) against the float64 reference.</summary>
public class ReferenceModuleTests
{
    public static TheoryData<string> Families => TinyModels.Families;

    private static (Tensor X, double[][] Rows) RandomInput(int time, long width, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var x = randn([1, time, width], generator: generator);
        var rows = Enumerable.Range(0, time).Select(t => x[0, t].to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();
        return (x, rows);
    }

    private static double[][] Rows(Tensor y) =>
        Enumerable.Range(0, (int)y.shape[1]).Select(t => y[0, t].to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();

    [Theory]
    [MemberData(nameof(Families))]
    public void AttentionOutputMatchesReference(string family)
    {
        using var model = TinyModels.Create(family, seed: 17);
        var naive = TinyModels.Naive(model);
        var config = model.Config;
        var (x, rows) = RandomInput(8, config.HiddenSize, 5);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var positions = arange(0, 8, dtype: ScalarType.Int64).unsqueeze(0);
        Tensor? cos = null, sin = null;
        if (config.RotaryDimensions > 0) (cos, sin) = RotaryEmbedding.Tables(positions, config.RotaryDimensions, config.RopeTheta);
        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            var y = model.layers[layer].self_attn.Forward(x, new ForwardContext { Cos = cos, Sin = sin });
            TinyModels.MaxAbsDiff(Rows(y), naive.AttentionOutput(layer, rows)).Should().BeLessThan(1e-4, $"{family} attention, layer {layer}");
        }
        x.Dispose();
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void MlpOutputMatchesReference(string family)
    {
        using var model = TinyModels.Create(family, seed: 18);
        var naive = TinyModels.Naive(model);
        var (x, rows) = RandomInput(5, model.Config.HiddenSize, 6);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var layer = 0; layer < model.Config.NumLayers; layer++)
        {
            var y = model.layers[layer].mlp.call(x);
            TinyModels.MaxAbsDiff(Rows(y), naive.MlpOutput(layer, rows)).Should().BeLessThan(1e-4, $"{family} MLP, layer {layer}");
        }
        x.Dispose();
    }
}
