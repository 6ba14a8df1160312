// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using LLMML.LanguageModels.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Hooks;

/// <summary>
/// The one way to read hidden states: the residual stream entering each block i (i = 0: token + position embeddings)
/// and after the last block (i = L, before the final norm) — L + 1 tensors of [batch, positions, d_model], the shape
/// compiled RASP models give too, so the two sides of tracr-injection line up layer by layer. Built on the model's
/// <see cref="ResidualStreamHook"/>s, which can also rewrite a layer's output: pass <c>rewrite</c> to replace what
/// flows on from a chosen layer (e.g. injection's detach-and-roll on block L's output).
/// </summary>
public static class ResidualRecorder
{
    /// <summary>Runs one forward pass and returns its logits and its L + 1 residual streams (detached copies the caller owns).</summary>
    /// <param name="inputIds">[B, T] int64</param>
    /// <param name="attentionMask">[B, T] 1 = real token; null = all real</param>
    /// <param name="rewrite">Optional: (layer, residual) → replacement of the same shape, or null to leave it; the
    /// recorded stream is the one after the rewrite, i.e. what the next block reads.</param>
    /// <param name="keepGradient">Record the residuals themselves, still attached to the autograd graph (a loss on
    /// them trains the blocks that wrote them, as tracr-injection's alignment loss does), instead of detached copies.</param>
    /// <returns>Logits [B, T, V] and residuals, each [B, T, D].</returns>
    public static (Tensor Logits, IReadOnlyList<Tensor> Residuals) RecordResiduals(
        CausalLanguageModel model, Tensor inputIds, Tensor? attentionMask = null, ResidualStreamHook? rewrite = null, bool keepGradient = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputIds);
        var residuals = new Tensor?[model.Config.NumLayers + 1];
        // Registered after a rewrite hook, so it sees the rewritten stream.
        using var rewriting = rewrite is null ? null : model.AddResidualHook(rewrite);
        using var recording = model.AddResidualHook((layer, residual) =>
        {
            residuals[layer]?.Dispose();
            // A new handle on the same tensor outlives the forward pass's dispose scope; autograd keeps the graph behind it.
            residuals[layer] = (keepGradient ? residual.alias() : residual.detach().clone()).DetachFromDisposeScope();
            return null;
        });
        try
        {
            var logits = model.forward(inputIds, attentionMask, null);
            return (logits, residuals.Select((r, i) => r ?? throw new InvalidOperationException($"The forward pass did not reach residual layer {i}.")).ToArray());
        }
        catch
        {
            foreach (var r in residuals) r?.Dispose();
            throw;
        }
    }
}
