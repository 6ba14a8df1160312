namespace LLMML.Complexity.Coding;

/// <summary>
/// Integer frequencies of a distribution over V symbols, summing to a fixed total T, with every symbol given at least
/// 1 (so any symbol can be coded, however unlikely the model finds it). Quantisation from probabilities p:
/// f_j = 1 + ⌊p_j·(T − V)⌋, and the few units rounding leaves over go to the most likely symbol. Since f_j ≥ p_j·(T − V),
/// coding symbol j costs at most −log₂ p_j + log₂(T / (T − V)) bits.
/// </summary>
public sealed class FrequencyTable
{
    /// <summary>Default total 2³¹: quantisation costs ≤ 7·10⁻⁸ bits per token for V = 100, ≤ 3.4·10⁻⁵ for V = 50,257.</summary>
    public const ulong DefaultTotal = 1UL << 31;

    private readonly ulong[] _cumulative;
    private readonly double[] _probabilities;

    private FrequencyTable(ulong[] cumulative, double[] probabilities)
    {
        _cumulative = cumulative;
        _probabilities = probabilities;
    }

    /// <summary>Symbols.</summary>
    public int Count => _cumulative.Length - 1;

    /// <summary>T: the sum of all frequencies.</summary>
    public ulong Total => _cumulative[^1];

    /// <summary>The probability the table was quantised from (double precision).</summary>
    public double Probability(int symbol) => _probabilities[symbol];

    /// <summary>Frequency of <paramref name="symbol"/>.</summary>
    public ulong Frequency(int symbol) => _cumulative[symbol + 1] - _cumulative[symbol];

    /// <summary>The symbol's cumulative range [low, high).</summary>
    public (ulong Low, ulong High) Range(int symbol)
    {
        if ((uint)symbol >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(symbol), symbol, $"Symbol {symbol} is outside [0, {Count}).");
        return (_cumulative[symbol], _cumulative[symbol + 1]);
    }

    /// <summary>The symbol whose range contains <paramref name="target"/> (binary search).</summary>
    public int SymbolAt(ulong target)
    {
        if (target >= Total) throw new ArgumentOutOfRangeException(nameof(target), target, $"Target must be below the total {Total}.");
        int lo = 0, hi = Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >> 1;
            if (_cumulative[mid] <= target) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>
    /// The table of softmax(<paramref name="logits"/>), computed in double precision in a fixed order, so an encoder and a
    /// decoder that see the same float logits build the same table.
    /// </summary>
    public static FrequencyTable FromLogits(ReadOnlySpan<float> logits, ulong total = DefaultTotal)
    {
        var count = logits.Length;
        if (count < 2) throw new ArgumentException("A distribution needs at least two symbols.", nameof(logits));
        if (total < (ulong)count * 2 || total > CoderGeometry.MaxTotal)
            throw new ArgumentOutOfRangeException(nameof(total), total, $"The total must lie in [2·V, 2^{CoderGeometry.StateBits - 2}] for V = {count}.");
        double max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            if (float.IsNaN(l)) throw new ArgumentException("The logits contain NaN.", nameof(logits));
            if (l > max) max = l;
        }
        if (double.IsPositiveInfinity(max)) throw new ArgumentException("The logits contain +∞.", nameof(logits));
        var weights = new double[count];
        double sum = 0;
        for (var j = 0; j < count; j++) sum += weights[j] = Math.Exp(logits[j] - max);
        return FromWeights(weights, sum, total);
    }

    /// <summary>The table of probabilities proportional to <paramref name="weights"/> (non-negative, not all zero).</summary>
    public static FrequencyTable FromProbabilities(ReadOnlySpan<double> weights, ulong total = DefaultTotal)
    {
        var copy = weights.ToArray();
        double sum = 0;
        foreach (var w in copy)
        {
            if (!(w >= 0) || double.IsPositiveInfinity(w)) throw new ArgumentException("Weights must be finite and non-negative.", nameof(weights));
            sum += w;
        }
        if (sum <= 0) throw new ArgumentException("The weights are all zero.", nameof(weights));
        if (total < (ulong)copy.Length * 2 || total > CoderGeometry.MaxTotal)
            throw new ArgumentOutOfRangeException(nameof(total), total, $"The total must lie in [2·V, 2^{CoderGeometry.StateBits - 2}] for V = {copy.Length}.");
        return FromWeights(copy, sum, total);
    }

    /// <summary>Extra bits per symbol the quantisation can cost: log₂(T / (T − V)).</summary>
    public static double QuantisationLossPerSymbol(int symbols, ulong total = DefaultTotal) => Math.Log2((double)total / (total - (ulong)symbols));

    private static FrequencyTable FromWeights(double[] weights, double sum, ulong total)
    {
        var count = weights.Length;
        var spread = (double)(total - (ulong)count);
        var frequencies = new ulong[count];
        var probabilities = new double[count];
        ulong assigned = 0;
        var best = 0;
        for (var j = 0; j < count; j++)
        {
            probabilities[j] = weights[j] / sum;
            var share = Math.Floor(probabilities[j] * spread);
            frequencies[j] = 1 + (ulong)Math.Min(share, spread);
            assigned += frequencies[j];
            if (weights[j] > weights[best]) best = j;
        }
        // Σ⌊p·(T − V)⌋ ≤ T − V up to floating-point error in Σp, so the remainder is almost always a small surplus.
        if (assigned <= total) frequencies[best] += total - assigned;
        else frequencies[best] -= Math.Min(assigned - total, frequencies[best] - 1);
        var cumulative = new ulong[count + 1];
        for (var j = 0; j < count; j++) cumulative[j + 1] = cumulative[j] + frequencies[j];
        if (cumulative[count] != total)
            throw new InvalidOperationException($"Quantisation produced a total of {cumulative[count]} instead of {total}.");
        return new FrequencyTable(cumulative, probabilities);
    }
}
