namespace LLMML.Complexity.Coding;

/// <summary>
/// The integer geometry shared by <see cref="ArithmeticEncoder"/> and <see cref="ArithmeticDecoder"/>: a 62-bit code
/// interval kept in <see cref="ulong"/>s, with 128-bit products when it is split. After renormalisation the interval is
/// always wider than <see cref="Quarter"/> = 2⁶⁰, so a symbol of frequency f out of a total T ≤ <see cref="MaxTotal"/>
/// receives at least R·f/T − 1 of it: the coder loses at most −log₂(1 − T/2⁶⁰) bits per symbol to integer rounding.
/// </summary>
public static class CoderGeometry
{
    /// <summary>Bits of the code interval.</summary>
    public const int StateBits = 62;

    /// <summary>Largest value of the interval, 2⁶² − 1.</summary>
    public const ulong Top = (1UL << StateBits) - 1;

    /// <summary>2⁶¹.</summary>
    public const ulong Half = 1UL << (StateBits - 1);

    /// <summary>2⁶⁰: the interval is wider than this after every renormalisation.</summary>
    public const ulong Quarter = 1UL << (StateBits - 2);

    /// <summary>Largest frequency total a symbol may be coded with (every symbol then gets a non-empty interval).</summary>
    public const ulong MaxTotal = Quarter;

    /// <summary>Bits the coder can lose to integer rounding per symbol coded with frequency total <paramref name="total"/>: −log₂(1 − T/2⁶⁰).</summary>
    public static double RoundingLossPerSymbol(ulong total) => -Math.Log2(1 - (double)total / Quarter);

    internal static void CheckSymbol(ulong cumulativeLow, ulong cumulativeHigh, ulong total)
    {
        if (total == 0 || total > MaxTotal)
            throw new ArgumentOutOfRangeException(nameof(total), total, $"The frequency total must lie in [1, 2^{StateBits - 2}].");
        if (cumulativeLow >= cumulativeHigh || cumulativeHigh > total)
            throw new ArgumentOutOfRangeException(nameof(cumulativeHigh), $"The symbol's range [{cumulativeLow}, {cumulativeHigh}) must be non-empty and inside [0, {total}).");
    }

    /// <summary>Narrows [low, high] to the symbol's share [cumLow, cumHigh) / total of it.</summary>
    internal static (ulong Low, ulong High) Narrow(ulong low, ulong high, ulong cumulativeLow, ulong cumulativeHigh, ulong total)
    {
        var range = (UInt128)(high - low) + 1;
        var newHigh = low + (ulong)(range * cumulativeHigh / total) - 1;
        var newLow = low + (ulong)(range * cumulativeLow / total);
        return (newLow, newHigh);
    }

    /// <summary>
    /// One renormalisation step: when the interval lies in the lower half, the upper half, or the middle half, it is
    /// shifted down by that half's offset and doubled; otherwise nothing happens and <see cref="Shift.None"/> is returned.
    /// </summary>
    internal static Shift Renormalise(ref ulong low, ref ulong high)
    {
        Shift shift;
        if (high < Half) shift = Shift.Lower;
        else if (low >= Half) shift = Shift.Upper;
        else if (low >= Quarter && high < Half + Quarter) shift = Shift.Middle;
        else return Shift.None;
        var offset = Offset(shift);
        low = (low - offset) << 1;
        high = ((high - offset) << 1) | 1;
        return shift;
    }

    /// <summary>What a renormalisation step subtracted before doubling.</summary>
    internal static ulong Offset(Shift shift) => shift switch { Shift.Upper => Half, Shift.Middle => Quarter, _ => 0 };

    /// <summary>Which half the interval was in: Lower emits 0, Upper emits 1, Middle defers a bit (the "underflow" case).</summary>
    internal enum Shift
    {
        None,
        Lower,
        Upper,
        Middle,
    }
}
