namespace LLMML.Complexity.Coding;

/// <summary>A bitstream: <see cref="BitLength"/> bits, most significant bit of each byte first.</summary>
/// <param name="Bytes">⌈BitLength / 8⌉ bytes; the unused low bits of the last byte are zero.</param>
/// <param name="BitLength">The code length in bits — what a program's payload costs.</param>
public sealed record CodedBits(byte[] Bytes, long BitLength)
{
    /// <summary>Bit <paramref name="index"/> (0 past the end).</summary>
    public bool this[long index] => index < BitLength && (Bytes[index >> 3] & (0x80 >> (int)(index & 7))) != 0;
}
