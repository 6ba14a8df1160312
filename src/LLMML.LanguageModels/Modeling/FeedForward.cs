// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// The block's MLP. Gated (LLaMA SwiGLU): down(act(gate(x)) ⊙ up(x)). Plain (GPT-2 c_fc/c_proj, Phi fc1/fc2):
/// down(act(up(x))); then <see cref="gate_proj"/> is null. Projections are <c>Module&lt;Tensor, Tensor&gt;</c> so LoRA can wrap them.
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly string activation;

    // weight [I, D] (gated MLPs only)
    public nn.Module<Tensor, Tensor>? gate_proj;
    // weight [I, D], bias [I]
    public nn.Module<Tensor, Tensor> up_proj;
    // weight [D, I], bias [D]
    public nn.Module<Tensor, Tensor> down_proj;

    public FeedForward(TransformerConfig config) : base(nameof(FeedForward))
    {
        activation = config.Activation;
        if (config.UsesGatedMlp)
            gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: config.MlpBias);
        RegisterComponents();
    }

    /// <param name="x">[B, T, D]</param>
    /// <returns>[B, T, D]</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = gate_proj is null
            ? Activation.Apply(activation, up_proj.call(x))
            : Activation.Apply(activation, gate_proj.call(x)) * up_proj.call(x);   // [B, T, I]
        return down_proj.call(hidden).MoveToOuterDisposeScope();
    }
}
