using LLMML.Rasp.Compiler;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>The token and position embeddings of a compiled program.</summary>
/// <param name="Token">[token id, residual dimension]; ids 0 = BOS, 1..|V| = the vocabulary, |V|+1 = PAD (all zero).</param>
/// <param name="Position">[position, residual dimension]; positions 0..N, 0 = BOS.</param>
public sealed record Embeddings(double[,] Token, double[,] Position);

/// <summary>
/// Compiler pass: embeddings. A token writes `one` and its tokens:value direction (BOS writes
/// tokens:BOS); a position p ≥ 1 writes indices:(p−1) and every Full SOp's value. PAD and the BOS
/// position's index stay zero, so nothing is ever read from them.
/// </summary>
public static class EmbeddingBuilder
{
    public static Embeddings Build(ProgramGraph graph, ResidualLayout layout, RaspCompilerOptions options)
    {
        var d = layout.Width;
        var one = layout[new BasisDirection(ResidualLayout.One)];
        var token = new double[options.Vocabulary.Count + 2, d];
        token[0, one] = 1;
        token[0, layout[ResidualLayout.Bos(options.BosToken)]] = 1;
        for (var i = 0; i < options.Vocabulary.Count; i++)
        {
            token[i + 1, one] = 1;
            token[i + 1, layout[new BasisDirection(ResidualLayout.Tokens, options.Vocabulary[i])]] = 1;
        }
        var position = new double[options.MaxLength + 1, d];
        var fulls = graph.SOps.OfType<FullSOp>().Where(f => !f.Value.IsNone).ToList();
        for (var p = 1; p <= options.MaxLength; p++)
        {
            position[p, layout[new BasisDirection(ResidualLayout.Indices, p - 1)]] = 1;
            foreach (var full in fulls)
            {
                var label = graph.LabelOf(full);
                if (full.Encoding == RaspEncoding.Numerical) position[p, layout[new BasisDirection(label)]] = full.Value.Number;
                else position[p, layout[new BasisDirection(label, full.Value)]] = 1;
            }
        }
        return new Embeddings(token, position);
    }
}
