using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

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
        var tails = new Dictionary<RaspExpr, Tail>();
        foreach (var node in graph.Nodes) rebuilt[node] = Rewrite(node, graph, rebuilt, tails);
        return (SOp)rebuilt[output];
    }

    /// <summary>
    /// The Maps fused onto a base node, applied in a loop rather than as nested closures (a chain of
    /// thousands of Maps would otherwise overflow the stack when called). Fusing one more Map appends
    /// to the list; the shorter chain's node is dropped (its only consumer was that Map), and each
    /// node applies only its own <paramref name="Count"/> first stages anyway.
    /// </summary>
    private sealed record Tail(SOp Base, List<Func<RaspValue, RaspValue>> Stages, int Count)
    {
        public RaspValue Apply(RaspValue v)
        {
            for (var i = 0; i < Count && !v.IsNone; i++) v = Stages[i](v);
            return v;
        }
    }

    private static RaspExpr Rewrite(RaspExpr node, ProgramGraph graph, Dictionary<RaspExpr, RaspExpr> r, Dictionary<RaspExpr, Tail> tails)
    {
        SOp S(SOp x) => (SOp)r[x];
        Selector Sel(Selector x) => (Selector)r[x];
        T Keep<T>(T fresh, RaspExpr original) where T : RaspExpr
        {
            if (fresh is SOp sop) sop.Encoding = ((SOp)original).Encoding;
            fresh.SetName(graph.LabelOf(original));
            return fresh;
        }

        // r[map.Inner] is already the rewritten inner node (possibly itself fused).
        if (node is MapSOp map && graph.ConsumersOf(map.Inner).Count == 1 && !ReferenceEquals(map.Inner, graph.Output)
            && r[map.Inner] is MapSOp or SequenceMapSOp or SelectorWidthSOp)
        {
            var inner = (SOp)r[map.Inner];
            var (baseNode, stages) = tails.TryGetValue(inner, out var t) ? (t.Base, t.Stages) : (inner, []);
            stages.Add(map.Function);
            var tail = new Tail(baseNode, stages, stages.Count);
            SOp fused = baseNode switch
            {
                MapSOp m => new MapSOp(x => tail.Apply(m.Function(x)), m.Inner, map.Description),
                SequenceMapSOp q => new SequenceMapSOp((x, y) => tail.Apply(q.Function(x, y)), q.Left, q.Right, map.Description),
                SelectorWidthSOp w => new SelectorWidthSOp(w.Selector) { OutputMap = x => tail.Apply(w.OutputMap is null ? x : w.OutputMap(x)) },
                _ => throw new InvalidOperationException("unreachable"),
            };
            tails[fused] = tail;
            return Keep(fused, map);
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
