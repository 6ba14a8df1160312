using LLMML.Rasp.Language;

namespace LLMML.Rasp.Compiler;

/// <summary>
/// Optional graph rewrite before value-set inference: a Map whose input is produced by an MLP
/// (Map, categorical-input SequenceMap, SelectorWidth) and read by nothing else is folded into
/// that MLP. The fused node keeps the outer Map's label and encoding. The user's program is not
/// modified; a rewritten copy is returned.
/// </summary>
public static class MapFusion
{
    public static SOp Apply(SOp output)
    {
        var graph = ProgramGraph.Build(output);
        var rebuilt = new Dictionary<RaspExpr, RaspExpr>();
        foreach (var node in graph.Nodes) rebuilt[node] = Rewrite(node, graph, rebuilt);
        return (SOp)rebuilt[output];
    }

    private static RaspExpr Rewrite(RaspExpr node, ProgramGraph graph, Dictionary<RaspExpr, RaspExpr> r)
    {
        SOp S(SOp x) => (SOp)r[x];
        Selector Sel(Selector x) => (Selector)r[x];
        T Keep<T>(T fresh, RaspExpr original) where T : RaspExpr
        {
            if (fresh is SOp sop) sop.Encoding = ((SOp)original).Encoding;
            fresh.SetName(graph.LabelOf(original));
            return fresh;
        }

        if (node is MapSOp map && graph.ConsumersOf(map.Inner).Count == 1 && !ReferenceEquals(map.Inner, graph.Output))
        {
            var f = map.Function;
            RaspValue Then(RaspValue v) => v.IsNone ? RaspValue.None : f(v);
            // r[map.Inner] is already the rewritten inner node (possibly itself fused).
            switch (r[map.Inner])
            {
                case MapSOp inner:
                    return Keep(new MapSOp(x => Then(inner.Function(x)), inner.Inner, map.Description), map);
                case SequenceMapSOp inner:
                    return Keep(new SequenceMapSOp((x, y) => Then(inner.Function(x, y)), inner.Left, inner.Right, map.Description), map);
                case SelectorWidthSOp inner:
                    var g = inner.OutputMap;
                    return Keep(new SelectorWidthSOp(inner.Selector) { OutputMap = x => Then(g is null ? x : g(x)) }, map);
            }
        }
        return node switch
        {
            TokensSOp or IndicesSOp => node,
            FullSOp f => Keep(new FullSOp(f.Value), f),
            MapSOp m => Keep(new MapSOp(m.Function, S(m.Inner), m.Description), m),
            SequenceMapSOp s => Keep(new SequenceMapSOp(s.Function, S(s.Left), S(s.Right), s.Description), s),
            LinearSequenceMapSOp l => Keep(new LinearSequenceMapSOp(S(l.Left), S(l.Right), l.LeftCoefficient, l.RightCoefficient), l),
            AggregateSOp a => Keep(new AggregateSOp(Sel(a.Selector), S(a.Inner), a.Default), a),
            SelectorWidthSOp w => Keep(new SelectorWidthSOp(Sel(w.Selector)) { OutputMap = w.OutputMap }, w),
            SelectSelector s => Keep(new SelectSelector(S(s.Keys), S(s.Queries), s.Predicate), s),
            SelectorAnd a => Keep(new SelectorAnd(Sel(a.Left), Sel(a.Right)), a),
            SelectorOr o => Keep(new SelectorOr(Sel(o.Left), Sel(o.Right)), o),
            SelectorNot n => Keep(new SelectorNot(Sel(n.Inner)), n),
            _ => node,
        };
    }
}
