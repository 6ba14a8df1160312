using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Rasp.Torch.Modules;

/// <summary>One residual layer: x + attn(x), then + mlp(·). No LayerNorm.</summary>
public sealed class CompiledLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly CompiledAttention attn;
    private readonly CompiledMlp mlp;

    public CompiledLayer(int dModel, int heads, int keySize, int valueSize, int mlpHidden) : base(nameof(CompiledLayer))
    {
        attn = new CompiledAttention(dModel, heads, keySize, valueSize);
        mlp = new CompiledMlp(dModel, mlpHidden);
        RegisterComponents();
    }

    public CompiledAttention Attention => attn;
    public CompiledMlp Mlp => mlp;

    /// <param name="x">[B, T, d]</param>
    /// <param name="mask">[B, 1, T, T]</param>
    /// <returns>[B, T, d]</returns>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var a = attn.call(x, mask);
        using var h = x + a;
        using var m = mlp.call(h);
        return h + m;
    }
}
