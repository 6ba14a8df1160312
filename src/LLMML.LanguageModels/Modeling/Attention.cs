// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// Multi-head self-attention with grouped-query support, optional rotary (full or partial) and a KV cache.
/// Projections are separate q/k/v/o Linear modules in every family (GPT-2's fused c_attn is split at load time by
/// the checkpoint key map), so hooks, per-head weight access and LoRA have one implementation. The fields are typed
/// <c>Module&lt;Tensor, Tensor&gt;</c> so a LoRA wrapper can replace them.
/// </summary>
public sealed class Attention : nn.Module
{
    private readonly int layerIndex;
    private readonly int heads;
    private readonly int kvHeads;
    private readonly long headDim;

    // weight [H·hd, D], bias [H·hd]
    public nn.Module<Tensor, Tensor> q_proj;
    // weight [Hkv·hd, D], bias [Hkv·hd]
    public nn.Module<Tensor, Tensor> k_proj;
    // weight [Hkv·hd, D], bias [Hkv·hd]
    public nn.Module<Tensor, Tensor> v_proj;
    // weight [D, H·hd], bias [D]
    public nn.Module<Tensor, Tensor> o_proj;

    public Attention(TransformerConfig config, int layerIndex) : base(nameof(Attention))
    {
        this.layerIndex = layerIndex;
        heads = config.NumHeads;
        kvHeads = config.KeyValueHeads;
        headDim = config.HeadDim;
        var d = config.HiddenSize;
        q_proj = nn.Linear(d, heads * headDim, hasBias: config.QkvBias);
        k_proj = nn.Linear(d, kvHeads * headDim, hasBias: config.QkvBias);
        v_proj = nn.Linear(d, kvHeads * headDim, hasBias: config.QkvBias);
        o_proj = nn.Linear(heads * headDim, d, hasBias: config.OutputBias);
        RegisterComponents();
    }

    /// <param name="x">[B, T, D]</param>
    /// <returns>[B, T, D]</returns>
    internal Tensor Forward(Tensor x, ForwardContext context)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1];
        var q = q_proj.call(x).view(batch, time, heads, headDim).transpose(1, 2);    // [B, H, T, hd]
        var k = k_proj.call(x).view(batch, time, kvHeads, headDim).transpose(1, 2);  // [B, Hkv, T, hd]
        var v = v_proj.call(x).view(batch, time, kvHeads, headDim).transpose(1, 2);  // [B, Hkv, T, hd]
        if (context.Cos is not null)
        {
            q = RotaryEmbedding.Apply(q, context.Cos, context.Sin!);
            k = RotaryEmbedding.Apply(k, context.Cos, context.Sin!);
        }
        if (context.Cache is not null)
            (k, v) = context.Cache.Append(layerIndex, k, v);                            // [B, Hkv, S, hd]
        if (kvHeads != heads)
        {
            // Query head h reads key/value head h / (H / Hkv), as transformers' repeat_kv does.
            k = k.repeat_interleave(heads / kvHeads, 1);
            v = v.repeat_interleave(heads / kvHeads, 1);
        }
        var attended = context.AttentionBias is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)
            : nn.functional.scaled_dot_product_attention(q, k, v, context.AttentionBias.to_type(q.dtype));  // [B, H, T, hd]
        var merged = attended.transpose(1, 2).reshape(batch, time, heads * headDim);
        return o_proj.call(merged).MoveToOuterDisposeScope();
    }
}
