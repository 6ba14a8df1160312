// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// Rotary position embedding in Hugging Face's "rotate_half" convention: the rotated dimensions are split into
/// two halves (x1, x2) and rotated as x·cos + (−x2, x1)·sin, with frequency i shared by dimensions i and i + d/2.
/// Partial rotary (Phi) rotates only the first <c>rotaryDim</c> dimensions of each head and passes the rest through.
/// Holds no tensors: the inverse frequencies are recomputed per call on the input's device (cheap, and keeps
/// the module's state dict equal to the checkpoint's).
/// </summary>
internal static class RotaryEmbedding
{
    /// <summary>cos and sin tables for the given positions.</summary>
    /// <param name="positions">[B, T] int64</param>
    /// <returns>cos, sin: [B, 1, T, rotaryDim] float32</returns>
    public static (Tensor Cos, Tensor Sin) Tables(Tensor positions, long rotaryDim, double theta)
    {
        using var scope = NewDisposeScope();
        // inv_freq[i] = 1 / theta^(2i / d), in float32 as transformers computes it.   [d/2]
        var exponents = arange(0, rotaryDim, 2, dtype: ScalarType.Int64, device: positions.device).to_type(ScalarType.Float32) / rotaryDim;
        var invFreq = 1.0f / pow(tensor((float)theta, device: positions.device), exponents);
        var freqs = positions.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq;   // [B, T, d/2]
        var emb = cat([freqs, freqs], -1).unsqueeze(1);                             // [B, 1, T, d]
        return (emb.cos().MoveToOuterDisposeScope(), emb.sin().MoveToOuterDisposeScope());
    }

    /// <param name="x">[B, H, T, headDim]</param>
    /// <param name="cos">[B, 1, T, rotaryDim]</param>
    /// <param name="sin">[B, 1, T, rotaryDim]</param>
    /// <returns>[B, H, T, headDim]</returns>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var rotaryDim = cos.shape[^1];
        var headDim = x.shape[^1];
        var rot = rotaryDim == headDim ? x : x.narrow(-1, 0, rotaryDim);
        var half = rotaryDim / 2;
        var rotatedHalf = cat([-rot.narrow(-1, half, half), rot.narrow(-1, 0, half)], -1);
        var rotated = rot * cos.to_type(x.dtype) + rotatedHalf * sin.to_type(x.dtype);
        var result = rotaryDim == headDim ? rotated : cat([rotated, x.narrow(-1, rotaryDim, headDim - rotaryDim)], -1);
        return result.MoveToOuterDisposeScope();
    }
}
