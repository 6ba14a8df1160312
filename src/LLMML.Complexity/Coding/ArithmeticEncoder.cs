namespace LLMML.Complexity.Coding;

/// <summary>
/// A binary arithmetic coder (Witten–Neal–Cleary with pending "underflow" bits) over integer frequency tables.
/// Each symbol narrows the code interval to its share; every halving of the interval emits one bit (immediately or
/// once its value is known), and <see cref="Finish"/> emits two more that pin a value inside the final interval.
/// So the output has at most −log₂ Π(size_i / R_i) + 2 bits, where size_i / R_i ≥ f_i / T_i · (1 − T_i / 2⁶⁰).
/// </summary>
public sealed class ArithmeticEncoder
{
    private readonly BitWriter _bits;
    private ulong _low;
    private ulong _high = CoderGeometry.Top;
    private long _pending;
    private bool _finished;

    public ArithmeticEncoder() => _bits = new BitWriter();

    private ArithmeticEncoder(ArithmeticEncoder other)
    {
        _bits = other._bits.Clone();
        (_low, _high, _pending, _finished, SymbolCount) = (other._low, other._high, other._pending, other._finished, other.SymbolCount);
    }

    /// <summary>
    /// An independent copy of the encoder as it is now: codes that share a prefix (e.g. the same training data followed
    /// by different epoch counts) are coded once up to the fork.
    /// </summary>
    public ArithmeticEncoder Fork() => new(this);

    /// <summary>Symbols coded so far.</summary>
    public long SymbolCount { get; private set; }

    /// <summary>Codes the symbol whose cumulative frequency range is [<paramref name="cumulativeLow"/>, <paramref name="cumulativeHigh"/>) out of <paramref name="total"/>.</summary>
    public void Encode(ulong cumulativeLow, ulong cumulativeHigh, ulong total)
    {
        if (_finished) throw new InvalidOperationException("The encoder is finished; start a new one.");
        CoderGeometry.CheckSymbol(cumulativeLow, cumulativeHigh, total);
        (_low, _high) = CoderGeometry.Narrow(_low, _high, cumulativeLow, cumulativeHigh, total);
        SymbolCount++;
        for (var shift = CoderGeometry.Renormalise(ref _low, ref _high); shift != CoderGeometry.Shift.None; shift = CoderGeometry.Renormalise(ref _low, ref _high))
        {
            // In the middle half the next bit is not known yet, only that the one after it is its opposite.
            if (shift == CoderGeometry.Shift.Middle) _pending++;
            else Emit(shift == CoderGeometry.Shift.Upper);
        }
    }

    /// <summary>Codes symbol <paramref name="symbol"/> of <paramref name="table"/>.</summary>
    public void Encode(FrequencyTable table, int symbol)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (low, high) = table.Range(symbol);
        Encode(low, high, table.Total);
    }

    /// <summary>Codes one bit with probability ½ each (exactly one bit of output).</summary>
    public void EncodeBit(bool bit) => Encode(bit ? 1UL : 0UL, bit ? 2UL : 1UL, 2);

    /// <summary>
    /// Ends the stream: after the last renormalisation the interval holds [2⁶⁰, 2⁶¹] or [2⁶¹, 3·2⁶⁰], so "01" or "10"
    /// (read with zeros after it) names a value inside it. Returns the code.
    /// </summary>
    public CodedBits Finish()
    {
        if (!_finished)
        {
            _pending++;
            Emit(_low >= CoderGeometry.Quarter);
            _finished = true;
        }
        return _bits.ToCodedBits();
    }

    private void Emit(bool bit)
    {
        _bits.Write(bit);
        for (; _pending > 0; _pending--) _bits.Write(!bit);
    }
}
