using LLMML.Rasp.Language;

namespace LLMML.Rasp.Ir;

/// <summary>
/// Runs the intermediate form in double precision: the oracle for the assembled transformer.
/// Same arithmetic as the transformer (embeddings, unscaled softmax attention with the causal
/// mask, ReLU MLPs), block by block over named directions.
/// </summary>
public static class IrInterpreter
{
    /// <summary>Residual streams [position, dim] after the embedding and after each layer.</summary>
    public static List<double[,]> Run(CompiledProgram program, IReadOnlyList<int> tokenIds)
    {
        var t = tokenIds.Count;
        var d = program.ResidualWidth;
        var x = new double[t, d];
        for (var p = 0; p < t; p++)
            for (var j = 0; j < d; j++)
                x[p, j] = program.TokenEmbedding[tokenIds[p], j] + program.PositionEmbedding[p, j];
        var states = new List<double[,]> { (double[,])x.Clone() };
        foreach (var layer in program.Layers)
        {
            var delta = new double[t, d];
            foreach (var head in layer.Heads) Attend(program, head, x, delta, tokenIds);
            Add(x, delta);
            delta = new double[t, d];
            foreach (var mlp in layer.Mlps) Mlp(program, mlp, x, delta);
            Add(x, delta);
            states.Add((double[,])x.Clone());
        }
        return states;
    }

    /// <summary>Evaluates the compiled program on an input and decodes the output variable.</summary>
    public static RaspValue[] Evaluate(CompiledProgram program, IReadOnlyList<RaspValue> input)
    {
        var states = Run(program, program.Encode(input));
        var last = states[^1];
        return Enumerable.Range(1, input.Count).Select(p => program.DecodeOutput(j => last[p, j])).ToArray();
    }

    private static void Add(double[,] x, double[,] delta)
    {
        for (var i = 0; i < x.GetLength(0); i++) for (var j = 0; j < x.GetLength(1); j++) x[i, j] += delta[i, j];
    }

    private static int[] Index(CompiledProgram p, IReadOnlyList<BasisDirection> dirs) => dirs.Select(dd => p.Layout[dd]).ToArray();

    private static void Attend(CompiledProgram program, AttentionHeadBlock head, double[,] x, double[,] delta, IReadOnlyList<int> ids)
    {
        var t = x.GetLength(0);
        var qi = Index(program, head.Queries);
        var ki = Index(program, head.Keys);
        var vi = Index(program, head.Values);
        var oi = Index(program, head.Outputs);
        for (var q = 0; q < t; q++)
        {
            var scores = new double[t];
            var max = double.NegativeInfinity;
            for (var k = 0; k < t; k++)
            {
                if ((program.Causal && k > q) || ids[k] == program.PadId) { scores[k] = double.NegativeInfinity; continue; }
                double s = 0;
                for (var a = 0; a < qi.Length; a++)
                {
                    var xq = x[q, qi[a]];
                    if (xq == 0) continue;
                    for (var b = 0; b < ki.Length; b++) s += xq * head.QK[a, b] * x[k, ki[b]];
                }
                scores[k] = s;
                max = Math.Max(max, s);
            }
            double z = 0;
            for (var k = 0; k < t; k++) { scores[k] = double.IsNegativeInfinity(scores[k]) ? 0 : Math.Exp(scores[k] - max); z += scores[k]; }
            for (var k = 0; k < t; k++)
            {
                var w = scores[k] / z;
                if (w == 0) continue;
                for (var a = 0; a < vi.Length; a++)
                {
                    var xv = x[k, vi[a]];
                    if (xv == 0) continue;
                    for (var o = 0; o < oi.Length; o++) delta[q, oi[o]] += w * xv * head.OV[a, o];
                }
            }
        }
    }

    private static void Mlp(CompiledProgram program, MlpBlock mlp, double[,] x, double[,] delta)
    {
        var t = x.GetLength(0);
        var ii = Index(program, mlp.Inputs);
        var oi = Index(program, mlp.Outputs);
        var hidden = new double[mlp.Hidden.Count];
        for (var p = 0; p < t; p++)
        {
            for (var h = 0; h < hidden.Length; h++)
            {
                double s = 0;
                for (var a = 0; a < ii.Length; a++) s += x[p, ii[a]] * mlp.W1[a, h];
                hidden[h] = Math.Max(0, s);
            }
            for (var h = 0; h < hidden.Length; h++)
            {
                if (hidden[h] == 0) continue;
                for (var o = 0; o < oi.Length; o++) delta[p, oi[o]] += hidden[h] * mlp.W2[h, o];
            }
        }
    }
}
