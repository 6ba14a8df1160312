using LLMML.LanguageModels.Checkpoints;
using LLMML.LanguageModels.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Modeling;

/// <summary>Tiny configs of every family, and random (non-default) weights so biases and norm gains are exercised.</summary>
internal static class TinyModels
{
    public static TransformerConfig Gpt2() => TransformerConfig.Gpt2(hidden: 16, layers: 2, heads: 4, vocabulary: 23, positions: 32);

    /// <summary>Qwen2: grouped-query attention (4 query heads, 2 kv heads), q/k/v biases, untied head.</summary>
    public static TransformerConfig Qwen2() => new TransformerConfig
    {
        ModelType = "qwen2", VocabularySize = 29, HiddenSize = 16, NumLayers = 2, NumHeads = 4, NumKeyValueHeads = 2,
        IntermediateSize = 24, MaxPositionEmbeddings = 64, NormEpsilon = 1e-6, RopeTheta = 10000, Activation = "silu",
        TieWordEmbeddings = false, QkvBias = true, EosTokenId = 2,
    }.Validate();

    /// <summary>Llama: tied head, all attention and MLP biases, rope theta 500.</summary>
    public static TransformerConfig LlamaTied() => new TransformerConfig
    {
        ModelType = "llama", VocabularySize = 19, HiddenSize = 12, NumLayers = 2, NumHeads = 3, NumKeyValueHeads = 3,
        IntermediateSize = 20, MaxPositionEmbeddings = 64, NormEpsilon = 1e-5, RopeTheta = 500, Activation = "silu",
        TieWordEmbeddings = true, QkvBias = true, OutputBias = true, MlpBias = true, EosTokenId = 1,
    }.Validate();

    /// <summary>Phi: parallel block, partial rotary (head dim 8, 4 rotated), biases, lm_head bias.</summary>
    public static TransformerConfig Phi() => new TransformerConfig
    {
        ModelType = "phi", VocabularySize = 31, HiddenSize = 16, NumLayers = 2, NumHeads = 2, NumKeyValueHeads = 2,
        IntermediateSize = 32, MaxPositionEmbeddings = 64, NormEpsilon = 1e-5, RopeTheta = 10000, PartialRotaryFactor = 0.5,
        Activation = "gelu_new", TieWordEmbeddings = false, QkvBias = true, OutputBias = true, MlpBias = true, LmHeadBias = true,
        EosTokenId = 3,
    }.Validate();

    public static TransformerConfig ByName(string name) => name switch
    {
        "gpt2" => Gpt2(),
        "qwen2" => Qwen2(),
        "llama" => LlamaTied(),
        "phi" => Phi(),
        _ => throw new ArgumentException(name),
    };

    public static readonly TheoryData<string> Families = new() { "gpt2", "qwen2", "llama", "phi" };

    public static CausalLanguageModel Create(string name, int seed = 1) => Randomise(new CausalLanguageModel(ByName(name)), seed);

    /// <summary>Fills every parameter with N(0, 0.3²) (norm gains around 1) from a private generator.</summary>
    public static CausalLanguageModel Randomise(CausalLanguageModel model, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            using var noise = randn(p.shape, generator: generator) * 0.3;
            if (name.Contains("norm")) p.copy_(noise + 1.0);
            else p.copy_(noise);
        }
        model.eval();
        return model;
    }

    public static NaiveTransformer Naive(CausalLanguageModel model)
    {
        var tensors = ModelCheckpoint.ExportStateDict(model);
        try { return Naive(model.Config, NaiveTransformer.FromTensors(tensors)); }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    public static NaiveTransformer Naive(TransformerConfig c, Dictionary<string, (double[] Data, long[] Shape)> weights) => new()
    {
        ModelType = c.ModelType, Layers = c.NumLayers, Heads = c.NumHeads, KvHeads = c.KeyValueHeads, Hidden = (int)c.HiddenSize,
        Eps = c.NormEpsilon, Theta = c.RopeTheta, PartialRotary = c.PartialRotaryFactor, Tied = c.TieWordEmbeddings, W = weights,
    };

    public static long[] Ids(int count, long vocabulary, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)random.Next((int)vocabulary)).ToArray();
    }

    /// <summary>Logits [T, V] of one row as float64 arrays.</summary>
    public static double[][] Logits(CausalLanguageModel model, long[] ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = model.forward(tensor(ids, [1, ids.Length]), null, null)[0].to_type(ScalarType.Float64);
        return Enumerable.Range(0, ids.Length).Select(t => logits[t].data<double>().ToArray()).ToArray();
    }

    public static double MaxAbsDiff(double[][] a, double[][] b) =>
        a.Zip(b).Max(p => p.First.Zip(p.Second).Max(q => Math.Abs(q.First - q.Second)));
}
