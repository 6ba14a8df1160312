using static TorchSharp.torch;

namespace LLMML.LanguageModels.Hooks;

/// <summary>
/// A projection's weights in the y = x·W + b convention: <see cref="Weight"/> is [in, out] (the transpose of a torch
/// Linear's weight, and the same layout as GPT-2's Conv1D). Detached float32 copies on the model's device; the caller
/// owns and disposes them. <see cref="Bias"/> is null when the projection has none (or it is shared across heads).
/// </summary>
public sealed record ProjectionWeights(Tensor Weight, Tensor? Bias) : IDisposable
{
    public void Dispose()
    {
        Weight.Dispose();
        Bias?.Dispose();
    }
}
