namespace LLMML.Complexity.Coding;

/// <summary>Appends bits to a growing byte buffer.</summary>
internal sealed class BitWriter
{
    private readonly List<byte> _bytes = [];
    private long _length;

    public long Length => _length;

    public void Write(bool bit)
    {
        if ((_length & 7) == 0) _bytes.Add(0);
        if (bit) _bytes[^1] |= (byte)(0x80 >> (int)(_length & 7));
        _length++;
    }

    public BitWriter Clone()
    {
        var copy = new BitWriter();
        copy._bytes.AddRange(_bytes);
        copy._length = _length;
        return copy;
    }

    public CodedBits ToCodedBits() => new(_bytes.ToArray(), _length);
}
