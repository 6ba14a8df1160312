using LLMML.Rasp.Language;

namespace LLMML.Rasp.Evaluation;

/// <summary>
/// The reference interpreter. Non-causal: every query sees every key. Causal: every selector is
/// ANDed with key ≤ query, which is what a causally masked compiled model computes.
/// None propagates through Map and SequenceMap and never satisfies a Select predicate.
/// </summary>
public sealed class RaspEvaluator
{
    private readonly IReadOnlyList<RaspValue> _input;
    private readonly bool _causal;
    private readonly Dictionary<RaspExpr, object> _memo = new();

    private RaspEvaluator(IReadOnlyList<RaspValue> input, bool causal)
    {
        _input = input;
        _causal = causal;
    }

    /// <summary>Evaluates <paramref name="program"/> on one input sequence.</summary>
    public static RaspValue[] Evaluate(SOp program, IReadOnlyList<RaspValue> input, bool causal = false) =>
        (RaspValue[])new RaspEvaluator(input, causal).Run(program);

    /// <summary>Evaluates a program and returns the value of every SOp it reads (its trace).</summary>
    public static IReadOnlyDictionary<SOp, RaspValue[]> Trace(SOp program, IReadOnlyList<RaspValue> input, bool causal = false)
    {
        var ev = new RaspEvaluator(input, causal);
        ev.Run(program);
        return ev._memo.Where(kv => kv.Key is SOp).ToDictionary(kv => (SOp)kv.Key, kv => (RaspValue[])kv.Value);
    }

    /// <summary>Evaluates a selector to a [query, key] matrix.</summary>
    public static bool[,] EvaluateSelector(Selector selector, IReadOnlyList<RaspValue> input, bool causal = false) =>
        (bool[,])new RaspEvaluator(input, causal).Run(selector);

    private int N => _input.Count;

    // Children before parents, without recursion: programs can be thousands of nodes deep.
    private object Run(RaspExpr root)
    {
        foreach (var e in ExpressionOrder.Of(root))
            _memo[e] = e is SOp s ? Compute(s) : Compute((Selector)e);
        return _memo[root];
    }

    private RaspValue[] Sop(SOp sop) => (RaspValue[])_memo[sop];

    private bool[,] Sel(Selector selector) => (bool[,])_memo[selector];

    private RaspValue[] Compute(SOp sop)
    {
        return sop switch
        {
            TokensSOp => _input.ToArray(),
            IndicesSOp => Enumerable.Range(0, N).Select(i => (RaspValue)i).ToArray(),
            FullSOp f => Enumerable.Repeat(f.Value, N).ToArray(),
            MapSOp m => Sop(m.Inner).Select(x => x.IsNone ? RaspValue.None : m.Function(x)).ToArray(),
            SequenceMapSOp s => Zip(s.Left, s.Right, s.Function),
            LinearSequenceMapSOp l => Zip(l.Left, l.Right, l.Apply),
            AggregateSOp a => Aggregate(a),
            SelectorWidthSOp w => Width(w),
            _ => throw new RaspEvaluationException($"Unknown SOp kind {sop.GetType().Name} ('{sop.Label}')."),
        };
    }

    private RaspValue[] Zip(SOp left, SOp right, Func<RaspValue, RaspValue, RaspValue> f)
    {
        var a = Sop(left);
        var b = Sop(right);
        var r = new RaspValue[N];
        for (var i = 0; i < N; i++) r[i] = a[i].IsNone || b[i].IsNone ? RaspValue.None : f(a[i], b[i]);
        return r;
    }

    private bool[,] Compute(Selector selector)
    {
        var m = new bool[N, N];
        switch (selector)
        {
            case SelectSelector s:
                var keys = Sop(s.Keys);
                var queries = Sop(s.Queries);
                for (var q = 0; q < N; q++)
                    for (var k = 0; k < N; k++)
                        m[q, k] = !keys[k].IsNone && !queries[q].IsNone && s.Predicate.Holds(keys[k], queries[q]);
                break;
            case SelectorAnd a: Combine(m, Sel(a.Left), Sel(a.Right), (x, y) => x && y); break;
            case SelectorOr o: Combine(m, Sel(o.Left), Sel(o.Right), (x, y) => x || y); break;
            case SelectorNot n:
                var inner = Sel(n.Inner);
                for (var q = 0; q < N; q++) for (var k = 0; k < N; k++) m[q, k] = !inner[q, k];
                break;
            default: throw new RaspEvaluationException($"Unknown selector kind {selector.GetType().Name} ('{selector.Label}').");
        }
        // Causal masking is applied to the leaves only, so Not(causal) stays causal.
        if (_causal && selector is SelectSelector or SelectorNot)
            for (var q = 0; q < N; q++) for (var k = q + 1; k < N; k++) m[q, k] = false;
        return m;
    }

    private void Combine(bool[,] m, bool[,] a, bool[,] b, Func<bool, bool, bool> op)
    {
        for (var q = 0; q < N; q++) for (var k = 0; k < N; k++) m[q, k] = op(a[q, k], b[q, k]);
    }

    private RaspValue[] Aggregate(AggregateSOp a)
    {
        var sel = Sel(a.Selector);
        var values = Sop(a.Inner);
        var r = new RaspValue[N];
        for (var q = 0; q < N; q++)
        {
            var count = 0;
            double sum = 0;
            RaspValue chosen = RaspValue.None;
            for (var k = 0; k < N; k++)
            {
                if (!sel[q, k]) continue;
                var v = values[k];
                if (a.Encoding == RaspEncoding.Numerical)
                {
                    if (!v.IsNumber)
                        throw new RaspEvaluationException($"numerical Aggregate '{a.Label}' read the non-numeric value {v} at key position {k}.");
                    sum += v.Number;
                }
                else if (count > 0 && v != chosen)
                {
                    throw new RaspEvaluationException(
                        $"categorical Aggregate '{a.Label}' selected different values {chosen} and {v} for query position {q}; " +
                        "a categorical Aggregate must select at most one distinct value.");
                }
                chosen = v;
                count++;
            }
            r[q] = count == 0 ? a.Default : a.Encoding == RaspEncoding.Numerical ? sum / count : chosen;
        }
        return r;
    }

    private RaspValue[] Width(SelectorWidthSOp w)
    {
        var sel = Sel(w.Selector);
        var r = new RaspValue[N];
        for (var q = 0; q < N; q++)
        {
            var c = 0;
            for (var k = 0; k < N; k++) if (sel[q, k]) c++;
            r[q] = c;
        }
        return r;
    }
}
