namespace LLMML.Complexity.Coding;

/// <summary>Reads what <see cref="PayloadWriter"/> wrote; past the end it reads zeros, like a padded file.</summary>
public sealed class PayloadReader
{
    private readonly CodedBits _code;
    private long _position;

    public PayloadReader(CodedBits code) => _code = code ?? throw new ArgumentNullException(nameof(code));

    /// <summary>A payload file: its bytes, every bit of them.</summary>
    public static PayloadReader Open(string path) => new(CodedBits.Read(path));

    /// <summary>Bits read so far.</summary>
    public long Position => _position;

    public bool ReadBit() => _code[_position++];

    /// <summary><paramref name="count"/> bits as an unsigned number, most significant first.</summary>
    public ulong ReadBits(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 64);
        ulong value = 0;
        for (var i = 0; i < count; i++) value = (value << 1) | (ReadBit() ? 1UL : 0UL);
        return value;
    }

    /// <summary>An Elias γ integer (≥ 1).</summary>
    /// <exception cref="InvalidDataException">No terminating 1 within 63 bits.</exception>
    public long ReadGamma()
    {
        var zeros = 0;
        while (!ReadBit())
            if (++zeros > 62) throw new InvalidDataException($"The γ code at bit {_position} has no terminating 1 within 63 bits.");
        return (long)((1UL << zeros) | ReadBits(zeros));
    }

    /// <summary>The next <paramref name="count"/> bits as a code of their own.</summary>
    public CodedBits ReadCode(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var writer = new BitWriter();
        for (long i = 0; i < count; i++) writer.Write(ReadBit());
        return writer.ToCodedBits();
    }
}
