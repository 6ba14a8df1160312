// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Training;

/// <summary>The three terms of the injection objective and detach-and-roll, as plain tensor functions (METHODS.md §3).</summary>
public static class InjectionLosses
{
    /// <summary>
    /// L_alg = Σ_{i=0..L} mean over real positions of (1 − cos(A(h_i), r_i)), over all compiled dimensions.
    /// </summary>
    /// <param name="lmResiduals">h_0 … h_L, each [B, T, D] (h_0 = embeddings; more may be given, only the first L + 1 are used).</param>
    /// <param name="compiledResiduals">r_0 … r_L, each [B, T, d_c], the compiled BOS column already dropped (LM t ↔ compiled t + 1).</param>
    /// <param name="adapter">A: [.., D] → [.., d_c].</param>
    /// <param name="mask">[B, T] 1 at real tokens, 0 at padding.</param>
    /// <returns>Scalar.</returns>
    public static Tensor Alignment(IReadOnlyList<Tensor> lmResiduals, IReadOnlyList<Tensor> compiledResiduals, Func<Tensor, Tensor> adapter, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(lmResiduals);
        ArgumentNullException.ThrowIfNull(compiledResiduals);
        if (lmResiduals.Count < compiledResiduals.Count)
            throw new ArgumentException($"{compiledResiduals.Count} compiled residual streams need as many LM streams; got {lmResiduals.Count}.", nameof(lmResiduals));
        using var scope = NewDisposeScope();
        var m = mask.to_type(ScalarType.Float32);
        var count = m.sum().clamp_min(1);
        Tensor total = zeros(1, device: m.device).squeeze();
        for (var i = 0; i < compiledResiduals.Count; i++)
        {
            var mapped = adapter(lmResiduals[i]);                                                       // [B, T, d_c]
            var r = compiledResiduals[i].to(mapped.device).to_type(mapped.dtype);
            var cos = nn.functional.cosine_similarity(mapped, r, dim: -1, eps: 1e-8);                   // [B, T]
            total = total + ((1 - cos) * m).sum() / count;
        }
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>Cross-entropy of the next token at the masked positions, averaged over those tokens.</summary>
    /// <param name="logits">[B, T, V]</param>
    /// <param name="targets">[B, T] int64, the next token at each position (anything where the mask is 0).</param>
    /// <param name="mask">[B, T] 1 at answer positions.</param>
    /// <returns>Scalar.</returns>
    public static Tensor AnswerCrossEntropy(Tensor logits, Tensor targets, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.to_type(ScalarType.Float32);
        var n = m.sum();
        if (n.item<float>() < 1) throw new ArgumentException("The batch has no answer token: an empty answer mask would give CE = 0/0.", nameof(mask));
        var logp = nn.functional.log_softmax(logits, -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1);   // [B, T]
        return (-(logp * m).sum() / n).MoveToOuterDisposeScope();
    }

    /// <summary>KL(original ‖ model) of the next-token distributions, summed over the vocabulary and averaged over the masked positions.</summary>
    /// <param name="modelLogits">[B, T, V] of the model being trained.</param>
    /// <param name="originalLogits">[B, T, V] of the frozen original.</param>
    /// <param name="mask">[B, T] 1 at real tokens.</param>
    /// <returns>Scalar.</returns>
    public static Tensor KlToOriginal(Tensor modelLogits, Tensor originalLogits, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.to_type(ScalarType.Float32);
        var logq = nn.functional.log_softmax(modelLogits, -1);
        var logp = nn.functional.log_softmax(originalLogits, -1);
        var perPosition = (logp.exp() * (logp - logq)).sum(-1);                                          // [B, T]
        return ((perPosition * m).sum() / m.sum().clamp_min(1)).MoveToOuterDisposeScope();
    }

    /// <summary>P = pinv(M)·M, the orthogonal projector of the LM space onto the row space of M = the adapter rows of a variable (bias ignored).</summary>
    /// <param name="adapterWeight">[d_c, D]</param>
    /// <returns>[D, D], no gradient.</returns>
    public static Tensor Projector(Tensor adapterWeight, int start, int count)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var rows = adapterWeight.detach().narrow(0, start, count);                                      // [k, D]
        return linalg.pinv(rows).matmul(rows).MoveToOuterDisposeScope();                                 // [D, k]·[k, D]
    }

    /// <summary>
    /// Detach-and-roll: h' = hP + roll((h − hP).detach(), 1, batch). Each row keeps its own component in the protected
    /// span and gets another row's complement, without gradient, so the next blocks can only use what lies in the span.
    /// </summary>
    /// <param name="h">[B, T, D], B ≥ 2</param>
    /// <param name="projector">[D, D]</param>
    /// <returns>[B, T, D]</returns>
    /// <exception cref="ArgumentException">B &lt; 2: a single row would be rolled onto itself.</exception>
    public static Tensor DetachAndRoll(Tensor h, Tensor projector)
    {
        if (h.shape[0] < 2)
            throw new ArgumentException($"Detach-and-roll needs a batch of at least 2 rows (it gives each row another row's complement); got {h.shape[0]}.", nameof(h));
        var inside = h.matmul(projector);
        return inside + (h - inside).detach().roll(1, 0);
    }
}
