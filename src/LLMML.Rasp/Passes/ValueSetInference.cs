using System.Globalization;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>
/// Compiler pass: the value set of every SOp. tokens → vocabulary, indices → 0..N−1,
/// SelectorWidth → 0..N, Map / SequenceMap → images. A numerical Aggregate takes the means of up
/// to N selected values (tracr keeps only the input values, an under-approximation).
/// Also checks the rules that need value sets.
/// </summary>
public static class ValueSetInference
{
    public static IReadOnlyDictionary<SOp, ValueSet> Infer(ProgramGraph graph, RaspCompilerOptions options)
    {
        var sets = new Dictionary<SOp, ValueSet>();
        var n = options.MaxLength;
        foreach (var sop in graph.SOps)
        {
            var name = graph.Describe(sop);
            ValueSet vs = sop switch
            {
                TokensSOp => new(Distinct(options.Vocabulary), false),
                IndicesSOp => new(Enumerable.Range(0, n).Select(i => (RaspValue)i).ToList(), false),
                FullSOp f => new([f.Value], f.Value.IsNone),
                MapSOp m => Image(sets[m.Inner], sets[m.Inner].Values.Select(x => Safe(name, () => m.Function(x)))),
                SequenceMapSOp s => Pairs(name, options, sets, s.Left, s.Right, (x, y) => Safe(name, () => s.Function(x, y))),
                LinearSequenceMapSOp l => Pairs(name, options, sets, l.Left, l.Right, (x, y) => Safe(name, () => l.Apply(x, y))),
                AggregateSOp a => AggregateSet(graph, sets, a, options),
                SelectorWidthSOp w => Image(new([], false),
                    Enumerable.Range(0, n + 1).Select(i => w.OutputMap is null ? (RaspValue)i : Safe(name, () => w.OutputMap(i)))),
                _ => throw new RaspCompileException(name, "unknown SOp kind"),
            };
            if (sop.Encoding == RaspEncoding.Numerical && vs.Values.FirstOrDefault(v => !v.IsNumber) is { IsNone: false } bad)
                throw new RaspCompileException(name, $"a numerical SOp must hold numbers, but it can hold '{bad}'");
            // Each value is a residual dimension, embedded at every token and position: d·(|V| + N + 3) weights at least.
            var embeddingRows = options.Vocabulary.Count + options.MaxLength + 3L;
            if (sop is not (TokensSOp or IndicesSOp) && sop.Encoding == RaspEncoding.Categorical && vs.Values.Count * embeddingRows > options.MaxParameters)
                throw new RaspCompileException(name, string.Create(CultureInfo.InvariantCulture,
                    $"it can hold {vs.Values.Count:N0} values, one residual dimension each, so the embeddings alone would pass the limit of {options.MaxParameters:N0} weights (RaspCompilerOptions.MaxParameters)"));
            sets[sop] = vs;
        }
        CheckNoneReaders(graph, sets);
        return sets;
    }

    private static RaspValue Safe(string name, Func<RaspValue> f)
    {
        try { return f(); }
        catch (Exception e) when (e is not RaspCompileException)
        {
            throw new RaspCompileException(name, $"its function failed on a value of its input's value set: {e.Message}");
        }
    }

    private static List<RaspValue> Distinct(IEnumerable<RaspValue> values) =>
        values.Where(v => !v.IsNone).Distinct().Order().ToList();

    private static ValueSet Image(ValueSet input, IEnumerable<RaspValue> outputs)
    {
        var list = outputs.ToList();
        return new(Distinct(list), input.MayBeNone || list.Any(v => v.IsNone));
    }

    private static ValueSet Pairs(string name, RaspCompilerOptions options, Dictionary<SOp, ValueSet> sets, SOp left, SOp right,
        Func<RaspValue, RaspValue, RaspValue> f)
    {
        var a = sets[left];
        var b = sets[right];
        if (!ReferenceEquals(left, right) && (long)a.Values.Count * b.Values.Count > options.MaxParameters)
            throw new RaspCompileException(name, string.Create(CultureInfo.InvariantCulture,
                $"it combines {a.Values.Count:N0} × {b.Values.Count:N0} input values, more pairs than the limit of {options.MaxParameters:N0} weights (RaspCompilerOptions.MaxParameters) allows to enumerate"));
        var outs = ReferenceEquals(left, right)
            ? a.Values.Select(x => f(x, x)).ToList()
            : a.Values.SelectMany(x => b.Values.Select(y => f(x, y))).ToList();
        return new(Distinct(outs), a.MayBeNone || b.MayBeNone || outs.Any(v => v.IsNone));
    }

    private static ValueSet AggregateSet(ProgramGraph graph, Dictionary<SOp, ValueSet> sets, AggregateSOp a, RaspCompilerOptions options)
    {
        var input = sets[a.Inner];
        if (a.Encoding == RaspEncoding.Categorical)
        {
            var values = input.Values.ToList();
            if (!a.Default.IsNone) values.Add(a.Default);
            return new(Distinct(values), input.MayBeNone || a.Default.IsNone);
        }
        // Means of k selected values, k = 1..N: enumerate the sums of k-element multisets.
        var means = new HashSet<RaspValue> { a.Default };
        var sums = new HashSet<double> { 0 };
        for (var k = 1; k <= options.MaxLength; k++)
        {
            sums = sums.SelectMany(s => input.Values.Select(v => s + v.Number)).ToHashSet();
            foreach (var s in sums) means.Add(s / k);
            if (means.Count > options.MaxValueSetSize)
                throw new RaspCompileException(graph.Describe(a),
                    $"the numerical Aggregate's value set (means of up to {options.MaxLength} selected values) exceeds {options.MaxValueSetSize} values; " +
                    "aggregate a {0, 1}-valued SOp or select at most one key");
        }
        return new(Distinct(means), false);
    }

    // tracr compiles a None-default categorical Aggregate to the zero vector. Categorical readers
    // propagate that zero vector exactly like the evaluator propagates None; a numerical reader
    // would silently read 0, so that is rejected here.
    private static void CheckNoneReaders(ProgramGraph graph, Dictionary<SOp, ValueSet> sets)
    {
        foreach (var sop in graph.SOps)
        {
            var reads = sop switch
            {
                MapSOp m => [m.Inner],
                SequenceMapSOp s => [s.Left, s.Right],
                LinearSequenceMapSOp l => [l.Left, l.Right],
                AggregateSOp a => new[] { a.Inner },
                _ => [],
            };
            foreach (var input in reads)
            {
                if (!sets[input].MayBeNone || input.Encoding != RaspEncoding.Categorical) continue;
                if (sop.Encoding == RaspEncoding.Numerical)
                    throw new RaspCompileException(graph.Describe(sop),
                        $"it reads {graph.Describe(input)}, which can be None (an Aggregate with default None that selects nothing); " +
                        "a numerical result cannot represent None (tracr silently reads it as 0); give that Aggregate a default");
            }
        }
    }
}
