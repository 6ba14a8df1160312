using static TorchSharp.torch;

namespace LLMML.LanguageModels.Hooks;

/// <summary>
/// Reads, and optionally replaces, the residual stream of a <see cref="Modeling.CausalLanguageModel"/>.
/// <paramref name="layer"/> 0 is the embeddings output (token + learned position embeddings); layer i (1…L) is the
/// output of block i, before the final norm. <paramref name="residual"/> is [B, T, D] for the tokens of the current
/// forward call (with a KV cache, only the new tokens). Return null to leave it, or a tensor of the same shape to
/// replace it downstream. Do not modify <paramref name="residual"/> in place; clone it to keep it beyond the call.
/// </summary>
public delegate Tensor? ResidualStreamHook(int layer, Tensor residual);
