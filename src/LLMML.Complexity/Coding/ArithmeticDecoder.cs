namespace LLMML.Complexity.Coding;

/// <summary>
/// Reads what <see cref="ArithmeticEncoder"/> wrote, given the same sequence of frequency tables (for a language
/// model: the same model run on the symbols decoded so far). Bits past the end of the stream read as zeros, which
/// the encoder's two closing bits account for.
/// </summary>
public sealed class ArithmeticDecoder
{
    private readonly BitReader _bits;
    private ulong _low;
    private ulong _high = CoderGeometry.Top;
    private ulong _value;

    public ArithmeticDecoder(CodedBits code)
    {
        _bits = new BitReader(code);
        for (var i = 0; i < CoderGeometry.StateBits; i++) _value = (_value << 1) | _bits.Read();
    }

    /// <summary>The cumulative frequency the next symbol's range contains, in [0, <paramref name="total"/>).</summary>
    public ulong Target(ulong total)
    {
        var range = (UInt128)(_high - _low) + 1;
        return (ulong)((((UInt128)(_value - _low) + 1) * total - 1) / range);
    }

    /// <summary>Consumes the symbol with range [<paramref name="cumulativeLow"/>, <paramref name="cumulativeHigh"/>) (the one <see cref="Target"/> fell into).</summary>
    public void Consume(ulong cumulativeLow, ulong cumulativeHigh, ulong total)
    {
        CoderGeometry.CheckSymbol(cumulativeLow, cumulativeHigh, total);
        (_low, _high) = CoderGeometry.Narrow(_low, _high, cumulativeLow, cumulativeHigh, total);
        for (var shift = CoderGeometry.Renormalise(ref _low, ref _high); shift != CoderGeometry.Shift.None; shift = CoderGeometry.Renormalise(ref _low, ref _high))
            _value = ((_value - CoderGeometry.Offset(shift)) << 1) | _bits.Read();
    }

    /// <summary>Decodes one symbol of <paramref name="table"/>.</summary>
    public int Decode(FrequencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var symbol = table.SymbolAt(Target(table.Total));
        var (low, high) = table.Range(symbol);
        Consume(low, high, table.Total);
        return symbol;
    }

    /// <summary>Decodes a bit written by <see cref="ArithmeticEncoder.EncodeBit"/>.</summary>
    public bool DecodeBit()
    {
        var bit = Target(2) >= 1;
        Consume(bit ? 1UL : 0UL, bit ? 2UL : 1UL, 2);
        return bit;
    }
}
