using LLMML.Rasp.Compiler;
using LLMML.Rasp.Constructions;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>
/// Compiler pass: the residual stream's basis. `one`, then tokens (the vocabulary and BOS), then
/// indices 0..N−1, then every SOp in topological order: one dimension per value of a categorical
/// SOp, one for a numerical SOp, plus a scratch dimension for each SelectorWidth's head.
/// </summary>
public static class ResidualLayoutBuilder
{
    public static ResidualLayout Build(ProgramGraph graph, IReadOnlyDictionary<SOp, ValueSet> sets, RaspCompilerOptions options)
    {
        var layout = new ResidualLayout();
        layout.AddNumerical(ResidualLayout.One);
        layout.AddCategorical(ResidualLayout.Tokens, options.Vocabulary.Append(options.BosToken));
        layout.AddCategorical(ResidualLayout.Indices, Enumerable.Range(0, options.MaxLength).Select(i => (RaspValue)i));
        foreach (var sop in graph.SOps)
        {
            if (sop is TokensSOp or IndicesSOp) continue;
            var label = graph.LabelOf(sop);
            if (sop is SelectorWidthSOp) layout.AddNumerical(AttentionConstructions.SelectorWidthScratch(label).Name);
            if (sop.Encoding == RaspEncoding.Numerical) layout.AddNumerical(label);
            else layout.AddCategorical(label, sets[sop].Values);
        }
        return layout;
    }
}
