using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.Rasp.Torch.Modules;

/// <summary>The MLP of a compiled layer: fc_out(ReLU(fc_in(x))), no biases (constants come from the `one` direction).</summary>
public sealed class CompiledMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc_in;
    private readonly Linear fc_out;

    public CompiledMlp(int dModel, int hidden) : base(nameof(CompiledMlp))
    {
        fc_in = nn.Linear(dModel, hidden, hasBias: false);
        fc_out = nn.Linear(hidden, dModel, hasBias: false);
        RegisterComponents();
    }

    public Linear FcIn => fc_in;
    public Linear FcOut => fc_out;

    /// <param name="x">[B, T, d]</param>
    /// <returns>[B, T, d]</returns>
    public override Tensor forward(Tensor x)
    {
        using var h = nn.functional.relu(fc_in.call(x)); // [B, T, hidden]
        return fc_out.call(h);
    }
}
