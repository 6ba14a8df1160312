using LLMML.Rasp.Language;

namespace LLMML.Rasp.Compiler;

/// <summary>A selector reduced to one Select: keys, queries and a predicate of (key, query).</summary>
public sealed record SimpleSelect(SOp Keys, SOp Queries, Func<RaspValue, RaspValue, bool> Holds);

/// <summary>
/// Reduces And/Or/Not of Selects to one Select. tracr's rule: composite selectors compile only when
/// every leaf reads the same keys and the same queries, so the combination is one predicate.
/// </summary>
public static class SelectorSimplifier
{
    /// <summary>Simplifies, or throws naming the composite that cannot be reduced.</summary>
    public static SimpleSelect Simplify(Selector selector, ProgramGraph graph)
    {
        switch (selector)
        {
            case SelectSelector s:
                return new SimpleSelect(s.Keys, s.Queries, s.Predicate.Holds);
            case SelectorNot n:
                var inner = Simplify(n.Inner, graph);
                return inner with { Holds = (k, q) => !inner.Holds(k, q) };
            case SelectorAnd a:
                return Combine(graph, a, Simplify(a.Left, graph), Simplify(a.Right, graph), (x, y) => x && y);
            case SelectorOr o:
                return Combine(graph, o, Simplify(o.Left, graph), Simplify(o.Right, graph), (x, y) => x || y);
            default:
                throw new RaspCompileException(graph.Describe(selector), "unknown selector kind");
        }
    }

    private static SimpleSelect Combine(ProgramGraph graph, Selector node, SimpleSelect a, SimpleSelect b, Func<bool, bool, bool> op)
    {
        if (!ReferenceEquals(a.Keys, b.Keys) || !ReferenceEquals(a.Queries, b.Queries))
            throw new RaspCompileException(graph.Describe(node),
                $"composite selectors compile only when both sides select over the same keys and queries " +
                $"(here keys {graph.LabelOf(a.Keys)} vs {graph.LabelOf(b.Keys)}, queries {graph.LabelOf(a.Queries)} vs {graph.LabelOf(b.Queries)}); " +
                "combine the SOps with a SequenceMap first and select on that");
        return new SimpleSelect(a.Keys, a.Queries, (k, q) => op(a.Holds(k, q), b.Holds(k, q)));
    }
}
