using LLMML.Rasp.Compiler;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>A selector reduced to one Select: keys, queries and a predicate of (key, query).</summary>
public sealed record SimpleSelect(SOp Keys, SOp Queries, Func<RaspValue, RaspValue, bool> Holds);

/// <summary>
/// Reduces And/Or/Not of Selects to one Select. tracr's rule: composite selectors compile only when
/// every leaf reads the same keys and the same queries, so the combination is one predicate.
/// </summary>
public static class SelectorSimplifier
{
    /// <summary>
    /// Deepest And/Or/Not nesting compiled. The combined predicate nests as deep as the selector,
    /// so this bounds the stack of every call to it; real programs nest two or three levels.
    /// </summary>
    public const int MaxNesting = 100;

    /// <summary>Simplifies, or throws naming the composite that cannot be reduced.</summary>
    public static SimpleSelect Simplify(Selector selector, ProgramGraph graph) => Simplify(selector, graph, 0);

    private static SimpleSelect Simplify(Selector selector, ProgramGraph graph, int depth)
    {
        if (depth > MaxNesting)
            throw new RaspCompileException(graph.Describe(selector),
                $"selectors combined with and/or/not nest deeper than {MaxNesting} levels; combine the SOps with a SequenceMap and select on that");
        switch (selector)
        {
            case SelectSelector s:
                return new SimpleSelect(s.Keys, s.Queries, s.Predicate.Holds);
            case SelectorNot n:
                var inner = Simplify(n.Inner, graph, depth + 1);
                return inner with { Holds = (k, q) => !inner.Holds(k, q) };
            case SelectorAnd a:
                return Combine(graph, a, Simplify(a.Left, graph, depth + 1), Simplify(a.Right, graph, depth + 1), (x, y) => x && y);
            case SelectorOr o:
                return Combine(graph, o, Simplify(o.Left, graph, depth + 1), Simplify(o.Right, graph, depth + 1), (x, y) => x || y);
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
