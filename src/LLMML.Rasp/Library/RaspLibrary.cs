using LLMML.Rasp.Language;
using static LLMML.Rasp.Language.RaspOps;

namespace LLMML.Rasp.Library;

/// <summary>
/// The programs of tracr's library, written in the embedded language. Each call builds fresh
/// expressions, so programs can be named and compiled independently.
/// </summary>
public static class RaspLibrary
{
    /// <summary>length: SelectorWidth(Select(tokens, tokens, TRUE)). Non-causal.</summary>
    public static SOp Length() =>
        SelectorWidth(Select(Tokens, Tokens, Comparison.TRUE).Named("all_true_selector")).Named("length");

    /// <summary>reverse("abcd") = "dcba".</summary>
    public static SOp Reverse(SOp sop)
    {
        var oppIdx = (Length() - Indices).Named("opp_idx");
        oppIdx = (oppIdx - 1).Named("opp_idx-1");
        var flip = Select(Indices, oppIdx, Comparison.EQ).Named("reverse_selector");
        return Aggregate(flip, sop).Named("reverse");
    }

    /// <summary>Fraction of positions up to here where <paramref name="bools"/> is true (numerical).</summary>
    public static SOp FracPrevs(SOp bools)
    {
        bools = Numerical(bools);
        var prevs = Select(Indices, Indices, Comparison.LEQ);
        return Numerical(Aggregate(prevs, bools, 0)).Named("frac_prevs");
    }

    /// <summary>Fraction of earlier opens minus fraction of earlier closes (numerical).</summary>
    public static SOp PairBalance(SOp sop, RaspValue open, RaspValue close)
    {
        var opens = Numerical(FracPrevs(Numerical(sop == open).Named("bools_open"))).Named("opens");
        var closes = Numerical(FracPrevs(Numerical(sop == close).Named("bools_close"))).Named("closes");
        return Numerical(LinearSequenceMap(opens, closes, 1, -1)).Named("pair_balance");
    }

    /// <summary>1 everywhere if every bracket pair is balanced (shuffle-Dyck), else 0. Pairs are two-character strings.</summary>
    public static SOp ShuffleDyck(IReadOnlyList<string> pairs)
    {
        if (pairs.Count < 1) throw new ArgumentException("At least one pair is needed.", nameof(pairs));
        var balances = pairs.Select(p =>
        {
            if (p.Length != 2) throw new ArgumentException($"Pair '{p}' must have exactly two characters.", nameof(pairs));
            return PairBalance(Tokens, p[0].ToString(), p[1].ToString()).Named($"balance_{p}");
        }).ToList();
        var anyNegative = balances[0] < 0;
        foreach (var b in balances.Skip(1)) anyNegative |= b < 0;
        anyNegative = Numerical(Map(x => x, anyNegative)).Named("any_negative");
        var selectAll = Select(Indices, Indices, Comparison.TRUE).Named("select_all");
        var hasNeg = Numerical(Aggregate(selectAll, anyNegative, 0)).Named("has_neg");
        var allZero = balances[0] == 0;
        foreach (var b in balances.Skip(1)) allZero &= b == 0;
        var selectLast = Select(Indices, Length() - 1, Comparison.EQ).Named("select_last");
        var lastZero = Aggregate(selectLast, allZero).Named("last_zero");
        var notHasNeg = (~hasNeg).Named("not_has_neg");
        return (lastZero & notHasNeg).Named("shuffle_dyck");
    }

    /// <summary>hist("abac") = [2, 1, 2, 1].</summary>
    public static SOp Hist() =>
        SelectorWidth(Select(Tokens, Tokens, Comparison.EQ).Named("same_tok")).Named("hist");

    /// <summary>Sorts <paramref name="vals"/> by unique <paramref name="keys"/>.</summary>
    public static SOp SortUnique(SOp vals, SOp keys)
    {
        var smaller = Select(keys, keys, Comparison.LT).Named("smaller");
        var targetPos = SelectorWidth(smaller).Named("target_pos");
        var selNew = Select(targetPos, Indices, Comparison.EQ);
        return Aggregate(selNew, vals).Named("sort");
    }

    /// <summary>Sorts by keys that need not be unique: key + minKey·i/maxSeqLen breaks ties by position.</summary>
    public static SOp Sort(SOp vals, SOp keys, int maxSeqLen, double minKey)
    {
        var uniqueKeys = SequenceMap((x, i) => x + minKey * i / maxSeqLen, keys, Indices, "x + min_key*i/max_seq_len");
        return SortUnique(vals, uniqueKeys);
    }

    /// <summary>Tokens sorted by decreasing frequency, ties in input order: [2,4,2,1] → [2,2,4,1].</summary>
    public static SOp SortFreq(int maxSeqLen)
    {
        var hist = (-1 * Hist().Named("hist"));
        return Sort(Tokens, hist, maxSeqLen, 1).Named("sort_freq");
    }

    /// <summary>The SOp shifted right by <paramref name="offset"/>, None-padded (or <paramref name="fill"/>-padded).</summary>
    public static SOp ShiftBy(int offset, SOp sop, RaspValue fill = default)
    {
        var sel = Select(Indices, Indices, (k, q) => q == k + offset, $"q == k + {offset}");
        return Aggregate(sel, sop, fill).Named($"shift_by({offset})");
    }

    /// <summary>True at the last element of each occurrence of <paramref name="pattern"/>; the first len−1 positions are None.</summary>
    public static SOp DetectPattern(SOp sop, IReadOnlyList<RaspValue> pattern)
    {
        if (pattern.Count < 1) throw new ArgumentException("The pattern must have at least one element.", nameof(pattern));
        var detectors = new List<SOp>();
        var reversed = pattern.Reverse().ToList();
        for (var i = 0; i < reversed.Count; i++)
        {
            var detector = sop == reversed[i];
            if (i != 0) detector = ShiftBy(i, detector);
            detectors.Add(detector);
        }
        var detected = detectors[^1];
        for (var i = detectors.Count - 2; i >= 0; i--) detected &= detectors[i];
        return detected.Named($"detect_pattern({string.Join("", pattern)})");
    }

    /// <summary>How many tokens appear at most n times (tracr's predicate is hist(key) ≤ n).</summary>
    public static SOp CountLessFreq(int n)
    {
        var hist = Hist().Named("hist");
        var selectLess = Select(hist, hist, (x, _) => x <= n, $"k <= {n}").Named("select_less");
        return SelectorWidth(selectLess).Named("count_less_freq");
    }

    /// <summary>Count of <paramref name="token"/> in the SOp, at every position.</summary>
    public static SOp Count(SOp sop, RaspValue token) =>
        SelectorWidth(Select(sop, sop, (k, _) => k == token, $"k == {token}")).Named($"count_{token}");

    /// <summary>
    /// An n-ary SequenceMap built from binary ones: the arguments are packed into a categorical
    /// tuple value (encoded as text "a|b|c"), then one Map applies f. Widths grow as the product of
    /// the value sets.
    /// </summary>
    public static SOp NarySequenceMap(Func<RaspValue[], RaspValue> f, params SOp[] sops)
    {
        if (sops.Length < 2) throw new ArgumentException("At least two SOps are needed.", nameof(sops));
        var packed = SequenceMap((x, y) => Pack(x) + "|" + Pack(y), sops[0], sops[1], "pack");
        foreach (var s in sops.Skip(2)) packed = SequenceMap((x, y) => x.Text + "|" + Pack(y), packed, s, "pack");
        var arity = sops.Length;
        return Map(x => f(Unpack(x.Text, arity)), packed, "apply").Named("nary_sequencemap");
    }

    private static string Pack(RaspValue v) => v.IsText ? "s" + v.Text : "n" + v.ToString();

    private static RaspValue[] Unpack(string s, int arity)
    {
        var parts = s.Split('|');
        if (parts.Length != arity) throw new ArgumentException("Packed tuple values must not contain '|'.");
        return parts.Select(p => p[0] == 's' ? (RaspValue)p[1..] : RaspValue.Parse(p[1..])).ToArray();
    }
}
