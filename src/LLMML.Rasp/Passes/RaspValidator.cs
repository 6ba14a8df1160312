using LLMML.Rasp.Compiler;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>
/// Compiler pass: the static rules of what compiles (tracr's rules). Each violation is reported
/// as a <see cref="RaspCompileException"/> naming the node and the rule. Rules that need value sets
/// (None defaults, numeric values) are checked by <see cref="ValueSetInference"/>.
/// </summary>
public static class RaspValidator
{
    /// <summary>Throws on the first violation, in topological order.</summary>
    public static void Validate(ProgramGraph graph)
    {
        foreach (var node in graph.Nodes)
        {
            var name = graph.Describe(node);
            switch (node)
            {
                case SelectSelector s:
                    RequireCategorical(graph, name, s.Keys, "keys");
                    RequireCategorical(graph, name, s.Queries, "queries");
                    break;
                case SelectorAnd or SelectorOr or SelectorNot:
                    SelectorSimplifier.Simplify((Selector)node, graph);
                    break;
                case AggregateSOp a:
                    if (a.Encoding != a.Inner.Encoding)
                        throw new RaspCompileException(name,
                            $"an Aggregate's output encoding must equal its input's ({graph.LabelOf(a.Inner)} is {a.Inner.Encoding}, the Aggregate is {a.Encoding})");
                    if (a.Encoding == RaspEncoding.Numerical && !a.Default.IsNumber)
                        throw new RaspCompileException(name, $"a numerical Aggregate needs a numeric default (got {a.Default}); tracr's default is 0");
                    SelectorSimplifier.Simplify(a.Selector, graph);
                    break;
                case SelectorWidthSOp w:
                    SelectorSimplifier.Simplify(w.Selector, graph);
                    break;
                case SequenceMapSOp sm:
                    if (sm.Left.Encoding == RaspEncoding.Numerical || sm.Right.Encoding == RaspEncoding.Numerical)
                        throw new RaspCompileException(name,
                            "a non-linear SequenceMap needs categorical inputs; use LinearSequenceMap for numerical ones");
                    break;
                case LinearSequenceMapSOp l:
                    if (l.Encoding == RaspEncoding.Categorical &&
                        (l.Left.Encoding == RaspEncoding.Numerical || l.Right.Encoding == RaspEncoding.Numerical))
                        throw new RaspCompileException(name,
                            "a LinearSequenceMap of numerical inputs must be numerical; annotate it numerical or Map its result");
                    break;
            }
        }
    }

    private static void RequireCategorical(ProgramGraph graph, string name, SOp sop, string role)
    {
        if (sop.Encoding != RaspEncoding.Categorical)
            throw new RaspCompileException(name, $"Select {role} must be categorical, but {graph.Describe(sop)} is numerical");
    }
}
