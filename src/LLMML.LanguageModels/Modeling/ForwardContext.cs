using LLMML.LanguageModels.Generation;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>What every block of one forward pass shares; built once by <see cref="CausalLanguageModel"/>.</summary>
internal sealed class ForwardContext
{
    /// <summary>[B, 1, T, rotaryDim], or null for learned positions.</summary>
    public Tensor? Cos { get; init; }

    /// <summary>[B, 1, T, rotaryDim], or null for learned positions.</summary>
    public Tensor? Sin { get; init; }

    /// <summary>[B, 1, T, S] additive bias, or null when plain causal attention over T = S keys suffices.</summary>
    public Tensor? AttentionBias { get; init; }

    public KeyValueCache? Cache { get; init; }
}
