// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// Builds what every layer of one forward pass shares: position ids and the additive attention bias.
/// Positions count real tokens only (cumsum of the key mask − 1, as transformers' generate does), so a
/// left-padded row sees the same positions as the same row unpadded.
/// </summary>
internal static class AttentionMask
{
    /// <param name="keyMask">[B, S] 1 = real token, over past + current keys; null = all real.</param>
    /// <param name="past">number of cached keys before the current T queries (S = past + T).</param>
    /// <returns>[B, T] int64 positions of the current tokens.</returns>
    public static Tensor Positions(Tensor? keyMask, long batch, long past, long queries, Device device)
    {
        if (keyMask is null)
            return arange(past, past + queries, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(batch, queries);
        using var scope = NewDisposeScope();
        var positions = (keyMask.to_type(ScalarType.Int64).cumsum(1) - 1).clamp_min(0).narrow(1, past, queries);
        return positions.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Additive bias for scaled dot-product attention: 0 where query i may attend key j (j ≤ past + i and key j real),
    /// the dtype's minimum elsewhere. A query whose keys are all masked (a left-padding position) gets a uniform
    /// distribution rather than NaN; its output is never used.
    /// </summary>
    /// <returns>[B, 1, T, S] in <paramref name="dtype"/></returns>
    public static Tensor Bias(Tensor? keyMask, long batch, long past, long queries, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var keys = past + queries;
        var queryIndex = arange(past, keys, dtype: ScalarType.Int64, device: device).unsqueeze(1);   // [T, 1]
        var keyIndex = arange(0, keys, dtype: ScalarType.Int64, device: device).unsqueeze(0);        // [1, S]
        var allowed = keyIndex.le(queryIndex).unsqueeze(0).unsqueeze(0);                           // [1, 1, T, S]
        if (keyMask is not null)
            allowed = allowed.logical_and(keyMask.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1)); // [B, 1, T, S]
        allowed = allowed.expand(batch, 1, queries, keys);
        var bias = zeros(batch, 1, queries, keys, dtype: dtype, device: device)
            .masked_fill(allowed.logical_not(), finfo(dtype).min);
        return bias.MoveToOuterDisposeScope();
    }
}
