using System.Numerics;

namespace LLMML.Complexity.Coding;

/// <summary>
/// Which k of n items, as one number: the subset's rank among all k-subsets in colexicographic order (the combinatorial
/// number system: Σᵢ C(cᵢ, i + 1) for the sorted members c₀ &lt; … &lt; c_{k−1}), written in exactly ⌈log₂ C(n, k)⌉ bits —
/// the fewest any code for an arbitrary k-subset can use. How an eigenpruning mask is sent.
/// </summary>
public static class SubsetCode
{
    /// <summary>⌈log₂ C(n, k)⌉: the bits of every k-of-n subset's code.</summary>
    public static long Length(int n, int k) => (Binomial(n, k) - 1).GetBitLength();

    /// <summary>The code of <paramref name="subset"/> (distinct members in [0, n)).</summary>
    public static CodedBits Encode(int n, IReadOnlyCollection<int> subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        var members = subset.Order().ToArray();
        if (members.Distinct().Count() != members.Length) throw new ArgumentException("A subset lists a member twice.", nameof(subset));
        if (members.Length > 0 && (members[0] < 0 || members[^1] >= n))
            throw new ArgumentOutOfRangeException(nameof(subset), $"Subset members must lie in [0, {n}).");
        var rank = BigInteger.Zero;
        for (var i = 0; i < members.Length; i++) rank += Binomial(members[i], i + 1);
        var length = Length(n, members.Length);
        var writer = new BitWriter();
        for (var bit = length - 1; bit >= 0; bit--) writer.Write(!(rank >> (int)bit).IsEven);
        return writer.ToCodedBits();
    }

    /// <summary>The k-subset of [0, n) coded in <paramref name="code"/>, ascending.</summary>
    /// <exception cref="InvalidDataException">The code's number is not the rank of any k-subset of n.</exception>
    public static int[] Decode(CodedBits code, int n, int k)
    {
        ArgumentNullException.ThrowIfNull(code);
        var length = Length(n, k);
        var reader = new BitReader(code);
        var rank = BigInteger.Zero;
        for (var bit = 0L; bit < length; bit++) rank = (rank << 1) | reader.Read();
        if (rank >= Binomial(n, k)) throw new InvalidDataException($"The subset code holds {rank}, but there are only C({n}, {k}) subsets.");
        var members = new int[k];
        var c = n;
        for (var i = k; i >= 1; i--)
        {
            // The largest c with C(c, i) ≤ rank; C(c − 1, i) = C(c, i)·(c − i)/c walks down without recomputing.
            c--;
            var value = Binomial(c, i);
            while (value > rank)
            {
                value = value * (c - i) / c;
                c--;
            }
            members[i - 1] = c;
            rank -= value;
        }
        return members;
    }

    /// <summary>C(n, k), 0 when k &gt; n.</summary>
    public static BigInteger Binomial(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k > n) return BigInteger.Zero;
        k = Math.Min(k, n - k);
        var result = BigInteger.One;
        for (var i = 1; i <= k; i++) result = result * (n - k + i) / i;
        return result;
    }
}
