namespace LLMML.Complexity.Coding;

/// <summary>Reads a <see cref="CodedBits"/> bit by bit, then zeros forever.</summary>
internal sealed class BitReader(CodedBits code)
{
    private long _position;

    public ulong Read() => code[_position++] ? 1UL : 0UL;
}
