namespace LLMML.Complexity.Coding;

/// <summary>
/// Elias's γ code for a positive integer n, written as fair bits through the arithmetic coder: ⌊log₂ n⌋ zeros, then
/// n's binary digits. 2⌊log₂ n⌋ + 1 bits; how a program tells its decoder a count (e.g. the number of coded examples).
/// </summary>
public static class EliasGamma
{
    public static void Encode(ArithmeticEncoder encoder, long n)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var digits = 64 - (int)ulong.LeadingZeroCount((ulong)n);
        for (var i = 1; i < digits; i++) encoder.EncodeBit(false);
        for (var i = digits - 1; i >= 0; i--) encoder.EncodeBit(((n >> i) & 1) != 0);
    }

    public static long Decode(ArithmeticDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        var zeros = 0;
        while (!decoder.DecodeBit())
            if (++zeros > 62) throw new InvalidDataException("The γ code has no terminating 1 within 63 bits.");
        long n = 1;
        for (var i = 0; i < zeros; i++) n = (n << 1) | (decoder.DecodeBit() ? 1L : 0L);
        return n;
    }

    /// <summary>Bits of n's code: 2⌊log₂ n⌋ + 1.</summary>
    public static int Length(long n) => 2 * (63 - (int)ulong.LeadingZeroCount((ulong)n)) + 1;
}
