namespace LLMML.Complexity.Coding;

/// <summary>
/// Writes a raw payload bitstream (most significant bit first): fixed-width fields, Elias γ integers, embedded codes.
/// The payloads of weight-carrying programs (LoRA, full fine-tune, eigenpruning masks) are written with it and read
/// back by their inference programs with <see cref="PayloadReader"/>; its length is what the program pays.
/// </summary>
public sealed class PayloadWriter
{
    private readonly BitWriter _bits = new();

    /// <summary>Bits written so far.</summary>
    public long BitLength => _bits.Length;

    public void WriteBit(bool bit) => _bits.Write(bit);

    /// <summary>The low <paramref name="count"/> bits of <paramref name="value"/>, most significant first.</summary>
    public void WriteBits(ulong value, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 64);
        for (var i = count - 1; i >= 0; i--) _bits.Write(((value >> i) & 1) != 0);
    }

    /// <summary>Elias γ of n ≥ 1: 2⌊log₂ n⌋ + 1 bits.</summary>
    public void WriteGamma(long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var digits = 64 - (int)ulong.LeadingZeroCount((ulong)n);
        WriteBits(0, digits - 1);
        WriteBits((ulong)n, digits);
    }

    /// <summary>Appends every bit of <paramref name="code"/>.</summary>
    public void WriteCode(CodedBits code)
    {
        ArgumentNullException.ThrowIfNull(code);
        for (long i = 0; i < code.BitLength; i++) _bits.Write(code[i]);
    }

    public CodedBits ToCodedBits() => _bits.ToCodedBits();
}
