using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.Rasp.Torch.Modules;

/// <summary>
/// A transformer assembled from a compiled RASP program. Input: token ids [B, T] with BOS (id 0) at
/// position 0 and PAD (id |V|+1) after the end; PAD keys are masked. The residual stream entering
/// every layer and after the last is exposed (<see cref="RecordResiduals"/>), because injection
/// aligns an LM to it layer by layer.
/// </summary>
public sealed class CompiledTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Embedding token_embed;
    private readonly Embedding pos_embed;
    private readonly ModuleList<CompiledLayer> layers;

    public CompiledTransformer(CompiledModelConfig config) : base(nameof(CompiledTransformer))
    {
        Config = config;
        token_embed = nn.Embedding(config.TokenCount, config.DModel);
        pos_embed = nn.Embedding(config.MaxLength + 1, config.DModel);
        if (config.MlpHiddenPerLayer.Count != config.Layers)
            throw new ArgumentException($"The config lists {config.MlpHiddenPerLayer.Count} MLP widths for {config.Layers} layers.", nameof(config));
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers)
            .Select(l => new CompiledLayer(config.DModel, config.Heads, config.KeySize, config.ValueSize, config.MlpHiddenPerLayer[l])).ToArray());
        RegisterComponents();
    }

    public CompiledModelConfig Config { get; }
    public Embedding TokenEmbedding => token_embed;
    public Embedding PositionEmbedding => pos_embed;
    public IReadOnlyList<CompiledLayer> Layers => [.. layers];

    /// <param name="tokenIds">[B, T] int64</param>
    /// <returns>the final residual stream [B, T, d]</returns>
    public override Tensor forward(Tensor tokenIds)
    {
        var states = RecordResiduals(tokenIds);
        for (var i = 0; i < states.Count - 1; i++) states[i].Dispose();
        return states[^1];
    }

    /// <summary>
    /// The residual streams, L + 1 of them, each [B, T, d]: [i] enters layer i ([0] = the embeddings),
    /// [L] leaves the last layer. The tensors belong to the caller.
    /// </summary>
    public IReadOnlyList<Tensor> RecordResiduals(Tensor tokenIds)
    {
        var t = tokenIds.shape[1];
        if (t > Config.MaxLength + 1)
            throw new ArgumentException($"Sequence of {t} positions exceeds the compiled maximum of {Config.MaxLength + 1} (BOS + {Config.MaxLength}).", nameof(tokenIds));
        using var positions = arange(t, dtype: int64, device: tokenIds.device);
        using var mask = BuildMask(tokenIds);
        var x = token_embed.call(tokenIds) + pos_embed.call(positions).unsqueeze(0);
        var states = new List<Tensor> { x };
        foreach (var layer in layers)
        {
            x = layer.call(x, mask);
            states.Add(x);
        }
        return states;
    }

    /// <returns>[B, 1, T, T] additive mask: −∞ for padding keys and, if causal, future keys.</returns>
    private Tensor BuildMask(Tensor tokenIds)
    {
        var t = tokenIds.shape[1];
        using var scope = NewDisposeScope();
        var blocked = tokenIds.eq(Config.PadId).unsqueeze(1).unsqueeze(1).expand(-1, 1, t, -1); // [B, 1, T, T]
        if (Config.Causal)
        {
            var future = ones(t, t, dtype: @bool, device: tokenIds.device).triu(1);
            blocked = blocked.logical_or(future);
        }
        var mask = zeros(blocked.shape, dtype: float32, device: tokenIds.device).masked_fill(blocked, float.NegativeInfinity);
        return mask.MoveToOuterDisposeScope();
    }
}
