// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// One pre-norm transformer block. Sequential (GPT-2, LLaMA): h += attn(norm1(h)); h += mlp(norm2(h)).
/// Parallel (Phi): n = norm1(h); h += attn(n) + mlp(n), and <see cref="post_attention_layernorm"/> is null.
/// </summary>
public sealed class DecoderBlock : nn.Module
{
    // LayerNorm or RmsNorm over D
    public nn.Module<Tensor, Tensor> input_layernorm;
    public Attention self_attn;
    // LayerNorm or RmsNorm over D; null in parallel blocks
    public nn.Module<Tensor, Tensor>? post_attention_layernorm;
    public FeedForward mlp;

    public DecoderBlock(TransformerConfig config, int layerIndex) : base(nameof(DecoderBlock))
    {
        input_layernorm = Norm(config);
        self_attn = new Attention(config, layerIndex);
        if (!config.UsesParallelBlock) post_attention_layernorm = Norm(config);
        mlp = new FeedForward(config);
        RegisterComponents();
    }

    internal static nn.Module<Tensor, Tensor> Norm(TransformerConfig config) => config.UsesRmsNorm
        ? new RmsNorm(config.HiddenSize, config.NormEpsilon)
        : nn.LayerNorm(config.HiddenSize, config.NormEpsilon);

    /// <param name="h">[B, T, D] residual stream entering the block</param>
    /// <returns>[B, T, D] residual stream leaving it</returns>
    internal Tensor Forward(Tensor h, ForwardContext context)
    {
        using var scope = NewDisposeScope();
        Tensor result;
        if (post_attention_layernorm is null)
        {
            var normed = input_layernorm.call(h);
            result = h + self_attn.Forward(normed, context) + mlp.call(normed);
        }
        else
        {
            var afterAttention = h + self_attn.Forward(input_layernorm.call(h), context);
            result = afterAttention + mlp.call(post_attention_layernorm.call(afterAttention));
        }
        return result.MoveToOuterDisposeScope();
    }
}
