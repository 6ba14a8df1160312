using LLMML.Rasp.Compiler;
using LLMML.Rasp.Constructions;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>
/// Compiler pass: turns each SOp into blocks over named basis directions, choosing the MLP or
/// attention construction (<see cref="MlpConstructions"/>, <see cref="AttentionConstructions"/>)
/// from its kind and encodings.
/// </summary>
public sealed class BlockBuilder
{
    private readonly ProgramGraph _graph;
    private readonly IReadOnlyDictionary<SOp, ValueSet> _sets;
    private readonly RaspCompilerOptions _options;
    private readonly MlpConstructions _mlp;
    private readonly AttentionConstructions _attn;

    public BlockBuilder(ProgramGraph graph, IReadOnlyDictionary<SOp, ValueSet> sets, RaspCompilerOptions options)
    {
        var bos = ResidualLayout.Bos(options.BosToken);
        _graph = graph;
        _sets = sets;
        _options = options;
        _mlp = new MlpConstructions(bos, options.MaxParameters);
        _attn = new AttentionConstructions(bos, options.AttentionColdness);
    }

    /// <summary>The blocks of every SOp of a program (null for embedded inputs).</summary>
    public static IReadOnlyDictionary<SOp, NodeBlocks?> BuildAll(ProgramGraph graph, IReadOnlyDictionary<SOp, ValueSet> sets, RaspCompilerOptions options)
    {
        var builder = new BlockBuilder(graph, sets, options);
        return graph.SOps.ToDictionary(s => s, builder.Build);
    }

    /// <summary>The residual directions of an SOp.</summary>
    public IReadOnlyList<BasisDirection> Dirs(SOp sop) => Spec(sop).Directions;

    private OutputSpec Spec(SOp sop) => new(_graph.LabelOf(sop), sop.Encoding, sop.Encoding == RaspEncoding.Numerical ? [] : _sets[sop].Values);

    /// <summary>Blocks of one SOp, or null for embedded inputs (tokens, indices, Full).</summary>
    public NodeBlocks? Build(SOp sop)
    {
        // Constructions know a node by its label; errors name it the way every pass does ("map 'x'").
        try { return BuildBlocks(sop); }
        catch (RaspCompileException e) when (e.Node == _graph.LabelOf(sop)) { throw new RaspCompileException(_graph.Describe(sop), e.Rule); }
    }

    private NodeBlocks? BuildBlocks(SOp sop)
    {
        var label = _graph.LabelOf(sop);
        var name = _graph.Describe(sop);
        switch (sop)
        {
            case TokensSOp or IndicesSOp or FullSOp:
                return null;
            case MapSOp m:
                return new(null, Map(label, m.Inner, m.Function, Spec(m)));
            case SequenceMapSOp s:
                return new(null, SequenceMap(label, s.Left, s.Right, s.Function, Spec(s)));
            case LinearSequenceMapSOp l:
                if (l.Encoding == RaspEncoding.Numerical)
                {
                    var form = Linear(l.Left, l.LeftCoefficient).Concat(Linear(l.Right, l.RightCoefficient)).ToList();
                    return new(null, _mlp.LinearNumerical(label, form, Spec(l)));
                }
                return new(null, SequenceMap(label, l.Left, l.Right, l.Apply, Spec(l)));
            case AggregateSOp a:
                {
                    var sel = SelectorSimplifier.Simplify(a.Selector, _graph);
                    return new(_attn.Aggregate(label, Dirs(sel.Queries), Dirs(sel.Keys), sel.Holds, Dirs(a.Inner), Spec(a), a.Default), null);
                }
            case SelectorWidthSOp w:
                {
                    var sel = SelectorSimplifier.Simplify(w.Selector, _graph);
                    var scratch = AttentionConstructions.SelectorWidthScratch(label);
                    var head = _attn.SelectorWidth(label, Dirs(sel.Queries), Dirs(sel.Keys), sel.Holds, scratch);
                    var n = _options.MaxLength;
                    var xs = Enumerable.Range(0, n + 1).Select(i => 1.0 / (i + 1)).ToList();
                    var map = w.OutputMap;
                    RaspValue F(double x)
                    {
                        RaspValue width = (int)Math.Round(1 / x - 1);
                        return map is null ? width : map(width);
                    }
                    var mlp = _mlp.Discretising(label, [(scratch, 1.0)], xs, F, Spec(w), _options.MlpExactness);
                    return new(head, mlp);
                }
            default:
                throw new RaspCompileException(name, "unknown SOp kind");
        }
    }

    private IEnumerable<(BasisDirection, double)> Linear(SOp sop, double coef) =>
        sop.Encoding == RaspEncoding.Numerical
            ? [(new BasisDirection(_graph.LabelOf(sop)), coef)]
            : Dirs(sop).Select(d => (d, coef * d.Value.Number));

    private MlpBlock Map(string label, SOp inner, Func<RaspValue, RaspValue> f, OutputSpec output)
    {
        if (inner.Encoding == RaspEncoding.Numerical)
        {
            var values = _sets[inner].Values.Select(v => v.Number).ToList();
            return _mlp.Discretising(label, [(new BasisDirection(_graph.LabelOf(inner)), 1.0)], values, x => f(x), output, _options.MlpExactness);
        }
        if (output.Encoding == RaspEncoding.Numerical)
        {
            var form = Dirs(inner).Select(d => (d, f(d.Value) is { IsNone: false } y ? y.Number : 0.0)).ToList();
            return _mlp.LinearNumerical(label, form, output);
        }
        return _mlp.CategoricalMap(label, Dirs(inner), f, output);
    }

    private MlpBlock SequenceMap(string label, SOp left, SOp right, Func<RaspValue, RaspValue, RaspValue> f, OutputSpec output)
    {
        if (ReferenceEquals(left, right)) return Map(label, left, x => f(x, x), output);
        var table = _mlp.PairTable(label, Dirs(left), Dirs(right), f, output);
        if (!_options.LinearSequenceMapDetection) return table;
        var linear = TryLinearForm(label, left, right, f, output);
        return linear is not null && linear.Hidden.Count < table.Hidden.Count ? linear : table;
    }

    // If f(x, y) depends only on z = x + y or z = x − y (numeric, never-None inputs), z is a linear
    // form of the one-hots and a discretising MLP on z needs only 2 units per change of f.
    private MlpBlock? TryLinearForm(string label, SOp left, SOp right, Func<RaspValue, RaspValue, RaspValue> f, OutputSpec output)
    {
        var a = _sets[left];
        var b = _sets[right];
        if (a.MayBeNone || b.MayBeNone || a.Values.Any(v => !v.IsNumber) || b.Values.Any(v => !v.IsNumber)) return null;
        foreach (var sign in new[] { -1.0, 1.0 })
        {
            var byZ = new Dictionary<double, RaspValue>();
            var ok = true;
            foreach (var x in a.Values)
            {
                foreach (var y in b.Values)
                {
                    var z = x.Number + sign * y.Number;
                    var r = f(x, y);
                    if (byZ.TryGetValue(z, out var prev) && prev != r) { ok = false; break; }
                    byZ[z] = r;
                }
                if (!ok) break;
            }
            if (!ok) continue;
            var form = Dirs(left).Select(d => (d, d.Value.Number)).Concat(Dirs(right).Select(d => (d, sign * d.Value.Number))).ToList();
            return _mlp.Discretising(label, form, byZ.Keys.ToList(), z => byZ[z], output, _options.MlpExactness);
        }
        return null;
    }
}
