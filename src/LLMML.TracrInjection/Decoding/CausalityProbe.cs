using LLMML.LanguageModels.Modeling;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Decoding;

/// <summary>
/// The causality check: Gaussian noise of a given norm added to the residual stream after block L, inside a span —
/// the LM-space span the adapter reads a variable from, or a random span of the same rank as the control. Both
/// spans are orthonormal bases (the released code's control was a non-orthonormal uniform matrix).
/// </summary>
public static class CausalityProbe
{
    /// <summary>Orthonormal basis [D, k] of the row space of the adapter rows [start, start + count) (k = their rank).</summary>
    public static Tensor VariableSpan(Tensor adapterWeight, int start, int count)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var rows = adapterWeight.detach().narrow(0, start, count).to(float64);                      // [k, D]
        var (u, s, vh) = linalg.svd(rows, fullMatrices: false);
        var rank = (int)(s > s.max() * 1e-6).sum().item<long>();
        return vh.narrow(0, 0, rank).t().to(float32).contiguous().MoveToOuterDisposeScope();        // [D, rank]
    }

    /// <summary>A uniformly random orthonormal basis [D, k] (QR of a Gaussian matrix), from <paramref name="seed"/>.</summary>
    public static Tensor RandomSpan(long dimension, long rank, long seed)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        var g = randn([dimension, rank], dtype: float64, generator: generator);
        var (q, r) = linalg.qr(g);
        // Fix the signs so the distribution is uniform (Haar) rather than QR-convention-dependent.
        q = q * r.diagonal().sign().unsqueeze(0);
        return q.to(float32).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Adds, at every position of the stream after block <paramref name="layer"/>, noise B·g with g ~ N(0, I_k) rescaled
    /// to norm <paramref name="norm"/>, B = <paramref name="span"/> [D, k]. Dispose the handle to stop.
    /// </summary>
    public static IDisposable AddNoise(CausalLanguageModel model, int layer, Tensor span, double norm, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(span);
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        var basis = span.to(model.Device);
        return model.AddResidualHook((l, h) =>
        {
            if (l != layer || norm == 0) return null;
            var g = randn([h.shape[0], h.shape[1], basis.shape[1]], generator: generator).to(h.device);
            g = g / g.norm(-1, keepdim: true).clamp_min(1e-12) * norm;
            return h + g.matmul(basis.t());
        });
    }
}
