using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Complexity.Coding;

/// <summary>
/// How weights are stored in a program: 32 bits (float32 as is), 16 bits (IEEE half), or b ∈ 2…8 bits (symmetric
/// absmax integers q ∈ [−(2^(b−1) − 1), 2^(b−1) − 1] times one half-precision scale per tensor; 2 bits = ternary).
/// The program computes with the dequantised values, so that is what gets evaluated.
/// </summary>
public static class WeightQuantisation
{
    /// <summary>The bit widths supported.</summary>
    public static IReadOnlyList<int> BitWidths { get; } = [2, 3, 4, 5, 6, 7, 8, 16, 32];

    /// <summary>The values a <paramref name="bits"/>-bit program holds for <paramref name="weights"/>, same shape and dtype.</summary>
    /// <param name="weights">any shape, floating point</param>
    /// <returns>same shape as <paramref name="weights"/></returns>
    public static Tensor RoundTrip(Tensor weights, int bits)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Check(bits);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = bits switch
        {
            32 => weights.clone(),
            16 => weights.to_type(ScalarType.Float16).to_type(weights.dtype),
            _ => Integer(weights, bits),
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Bits to store <paramref name="parameters"/> values in <paramref name="tensors"/> tensors: b·n, plus a 16-bit scale per tensor below 16 bits.</summary>
    public static long PayloadBits(long parameters, long tensors, int bits)
    {
        Check(bits);
        return bits * parameters + (bits < 16 ? 16 * tensors : 0);
    }

    /// <summary>The scale a tensor of absolute maximum <paramref name="absMax"/> gets, rounded to half precision as stored.</summary>
    public static float Scale(double absMax, int bits) => (float)(Half)(absMax / Levels(bits));

    /// <summary>Largest integer level: 2^(b−1) − 1.</summary>
    public static int Levels(int bits) => (1 << (bits - 1)) - 1;

    /// <summary>
    /// Writes what <see cref="RoundTrip"/> keeps of <paramref name="weights"/> in exactly
    /// <see cref="PayloadBits"/>(numel, 1, bits) bits: below 16 bits the half-precision scale, then each level q + (2^(b−1) − 1)
    /// in b bits; 16 bits IEEE halves; 32 bits floats. Elements in row-major order.
    /// </summary>
    public static void Write(PayloadWriter writer, Tensor weights, int bits)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(weights);
        Check(bits);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = weights.detach().flatten().cpu();
        switch (bits)
        {
            case 32:
                foreach (var v in flat.to_type(ScalarType.Float32).data<float>()) writer.WriteBits(BitConverter.SingleToUInt32Bits(v), 32);
                break;
            case 16:
                foreach (var v in flat.to_type(ScalarType.Float16).data<Half>()) writer.WriteBits(BitConverter.HalfToUInt16Bits(v), 16);
                break;
            default:
                var scale = Scale(flat.abs().max().ToDouble(), bits);
                writer.WriteBits(BitConverter.HalfToUInt16Bits((Half)scale), 16);
                var levels = Levels(bits);
                var q = scale == 0 ? zeros_like(flat, ScalarType.Float32) : (flat.to_type(ScalarType.Float32) / scale).round().clamp(-levels, levels);
                foreach (var v in q.data<float>()) writer.WriteBits((ulong)((int)v + levels), bits);
                break;
        }
    }

    /// <summary>Reads <see cref="Write"/>'s values into <paramref name="target"/> (in place, no gradient; same shape as written).</summary>
    public static void Read(PayloadReader reader, Tensor target, int bits)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(target);
        Check(bits);
        var n = (int)target.numel();
        var values = new float[n];
        switch (bits)
        {
            case 32:
                for (var i = 0; i < n; i++) values[i] = BitConverter.UInt32BitsToSingle((uint)reader.ReadBits(32));
                break;
            case 16:
                for (var i = 0; i < n; i++) values[i] = (float)BitConverter.UInt16BitsToHalf((ushort)reader.ReadBits(16));
                break;
            default:
                var scale = (float)BitConverter.UInt16BitsToHalf((ushort)reader.ReadBits(16));
                var levels = Levels(bits);
                for (var i = 0; i < n; i++) values[i] = ((int)reader.ReadBits(bits) - levels) * scale;
                break;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        target.copy_(tensor(values, target.shape, device: target.device).to_type(target.dtype));
    }

    private static Tensor Integer(Tensor weights, int bits)
    {
        var scale = Scale(weights.abs().max().ToDouble(), bits);
        if (scale == 0) return zeros_like(weights);
        var levels = Levels(bits);
        return (weights.to_type(ScalarType.Float32) / scale).round().clamp(-levels, levels).mul(scale).to_type(weights.dtype);
    }

    private static void Check(int bits)
    {
        if (!BitWidths.Contains(bits))
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"Supported bit widths: {string.Join(", ", BitWidths)}.");
    }
}
