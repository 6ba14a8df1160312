namespace LLMML.Complexity.Coding;

/// <summary>A bitstream: <see cref="BitLength"/> bits, most significant bit of each byte first.</summary>
/// <param name="Bytes">⌈BitLength / 8⌉ bytes; the unused low bits of the last byte are zero.</param>
/// <param name="BitLength">The code length in bits — what a program's payload costs.</param>
public sealed record CodedBits(byte[] Bytes, long BitLength)
{
    /// <summary>Bit <paramref name="index"/> (0 past the end).</summary>
    public bool this[long index] => index < BitLength && (Bytes[index >> 3] & (0x80 >> (int)(index & 7))) != 0;

    /// <summary>
    /// A payload file as a program reads it: all its bytes. The zero padding of the last byte reads like the zeros past
    /// the end, so a decoder gets the same symbols from the file as from the exact-length code.
    /// </summary>
    public static CodedBits Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return new CodedBits(bytes, 8L * bytes.Length);
    }

    /// <summary>Writes <see cref="Bytes"/> to <paramref name="path"/> atomically (the file a program reads).</summary>
    public void Write(string path) => Foundation.Persistence.AtomicFile.WriteAllBytes(path, Bytes);
}
