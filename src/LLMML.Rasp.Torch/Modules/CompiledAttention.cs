using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.Rasp.Torch.Modules;

/// <summary>
/// Multi-head attention of a compiled model: no biases and no 1/√d scaling (the compiler's
/// coldness is the real softmax temperature; tracr's scaling silently divides it by √key_size).
/// </summary>
public sealed class CompiledAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly int _heads;
    private readonly int _keySize;
    private readonly int _valueSize;

    // Field names are the checkpoint keys.
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;

    public CompiledAttention(int dModel, int heads, int keySize, int valueSize) : base(nameof(CompiledAttention))
    {
        _heads = heads;
        _keySize = keySize;
        _valueSize = valueSize;
        q_proj = nn.Linear(dModel, heads * keySize, hasBias: false);
        k_proj = nn.Linear(dModel, heads * keySize, hasBias: false);
        v_proj = nn.Linear(dModel, heads * valueSize, hasBias: false);
        o_proj = nn.Linear(heads * valueSize, dModel, hasBias: false);
        RegisterComponents();
    }

    public Linear QProj => q_proj;
    public Linear KProj => k_proj;
    public Linear VProj => v_proj;
    public Linear OProj => o_proj;

    /// <param name="x">[B, T, d]</param>
    /// <param name="mask">[B, 1, T, T] additive (0 or −∞)</param>
    /// <returns>[B, T, d]</returns>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        var (b, t) = (x.shape[0], x.shape[1]);
        using var q = q_proj.call(x).view(b, t, _heads, _keySize).transpose(1, 2);   // [B, H, T, dk]
        using var k = k_proj.call(x).view(b, t, _heads, _keySize).transpose(1, 2);   // [B, H, T, dk]
        using var v = v_proj.call(x).view(b, t, _heads, _valueSize).transpose(1, 2); // [B, H, T, dv]
        using var scores = matmul(q, k.transpose(2, 3)).add_(mask);                   // [B, H, T, T]
        using var weights = scores.softmax(-1);
        using var mixed = matmul(weights, v).transpose(1, 2).reshape(b, t, _heads * _valueSize); // [B, T, H·dv]
        return o_proj.call(mixed);
    }
}
