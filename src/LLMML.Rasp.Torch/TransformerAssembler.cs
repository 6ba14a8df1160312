using LLMML.Rasp.Ir;
using LLMML.Rasp.Torch.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Rasp.Torch;

/// <summary>
/// Compiler pass: writes the intermediate form's blocks into the weight matrices of a
/// <see cref="CompiledTransformer"/> (float32). Each head's QK (|Q|×|K|) is factorised into W_Q and
/// W_K of width min(|Q|, |K|), each OV likewise; heads are padded with zeros to the widest layer,
/// MLP blocks of a layer are concatenated (each layer keeps its own width).
/// </summary>
public static class TransformerAssembler
{
    public static CompiledModelConfig ConfigFor(CompiledProgram program)
    {
        var heads = Math.Max(1, program.MaxHeads);
        var hidden = Math.Max(1, program.MaxMlpHidden);
        var perLayer = program.Layers.Select(l => Math.Max(1, l.MlpHiddenWidth)).ToList();
        return new CompiledModelConfig
        {
            Name = program.Name,
            Vocabulary = program.Vocabulary,
            BosToken = program.BosToken,
            PadToken = program.PadToken,
            MaxLength = program.MaxLength,
            Causal = program.Causal,
            DModel = program.ResidualWidth,
            Layers = program.LayerCount,
            Heads = heads,
            KeySize = Math.Max(1, program.KeySize),
            ValueSize = Math.Max(1, program.ValueSize),
            MlpHidden = hidden,
            MlpHiddenPerLayer = perLayer,
            ResidualLabels = program.Layout.Directions.Select(d => d.Label).ToList(),
            Variables = program.Layout.Variables.Select(VariableInfo.From).ToList(),
            Output = program.Output,
            OutputEncoding = program.OutputEncoding,
            MlpHiddenLabels = program.Layers.Select(l =>
                (IReadOnlyList<string>)l.Mlps.SelectMany(m => m.Hidden).Concat(Enumerable.Repeat("unused", Math.Max(1, l.MlpHiddenWidth) - l.MlpHiddenWidth)).ToList()).ToList(),
            HeadNodes = program.Layers.Select(l =>
                (IReadOnlyList<string>)l.Heads.Select(h => h.Node).Concat(Enumerable.Repeat("unused", heads - l.Heads.Count)).ToList()).ToList(),
        };
    }

    /// <summary>Builds the TorchSharp model of a compiled program (on the CPU, float32).</summary>
    public static CompiledTransformer Assemble(CompiledProgram program)
    {
        var config = ConfigFor(program);
        var model = new CompiledTransformer(config);
        var d = config.DModel;
        using var _ = no_grad();
        Copy(model.TokenEmbedding.weight!, program.TokenEmbedding);
        Copy(model.PositionEmbedding.weight!, program.PositionEmbedding);
        var layers = model.Layers;
        for (var l = 0; l < program.LayerCount; l++)
        {
            var ir = program.Layers[l];
            var wq = new double[config.Heads * config.KeySize, d];
            var wk = new double[config.Heads * config.KeySize, d];
            var wv = new double[config.Heads * config.ValueSize, d];
            var wo = new double[d, config.Heads * config.ValueSize];
            for (var h = 0; h < ir.Heads.Count; h++)
                WriteHead(program.Layout, ir.Heads[h], h * config.KeySize, h * config.ValueSize, wq, wk, wv, wo);
            var attn = layers[l].Attention;
            Copy(attn.QProj.weight!, wq);
            Copy(attn.KProj.weight!, wk);
            Copy(attn.VProj.weight!, wv);
            Copy(attn.OProj.weight!, wo);

            var fcIn = new double[config.MlpHiddenPerLayer[l], d];
            var fcOut = new double[d, config.MlpHiddenPerLayer[l]];
            var offset = 0;
            foreach (var block in ir.Mlps)
            {
                var ins = block.Inputs.Select(x => program.Layout[x]).ToArray();
                var outs = block.Outputs.Select(x => program.Layout[x]).ToArray();
                for (var u = 0; u < block.Hidden.Count; u++)
                {
                    for (var i = 0; i < ins.Length; i++) fcIn[offset + u, ins[i]] += block.W1[i, u];
                    for (var o = 0; o < outs.Length; o++) fcOut[outs[o], offset + u] += block.W2[u, o];
                }
                offset += block.Hidden.Count;
            }
            Copy(layers[l].Mlp.FcIn.weight!, fcIn);
            Copy(layers[l].Mlp.FcOut.weight!, fcOut);
        }
        Freeze(model);
        return model;
    }

    /// <summary>Compiled weights are a specification, not a starting point: no gradients.</summary>
    public static void Freeze(CompiledTransformer model)
    {
        foreach (var p in model.parameters()) p.requires_grad = false;
    }

    private static void WriteHead(ResidualLayout layout, AttentionHeadBlock head, int k0, int v0,
        double[,] wq, double[,] wk, double[,] wv, double[,] wo)
    {
        var q = head.Queries.Select(x => layout[x]).ToArray();
        var k = head.Keys.Select(x => layout[x]).ToArray();
        if (q.Length <= k.Length)
        {
            // score = Σ_a x_q[Q_a] · (Σ_b QK[a,b] x_k[K_b])
            for (var a = 0; a < q.Length; a++)
            {
                wq[k0 + a, q[a]] = 1;
                for (var b = 0; b < k.Length; b++) wk[k0 + a, k[b]] += head.QK[a, b];
            }
        }
        else
        {
            for (var b = 0; b < k.Length; b++)
            {
                wk[k0 + b, k[b]] = 1;
                for (var a = 0; a < q.Length; a++) wq[k0 + b, q[a]] += head.QK[a, b];
            }
        }
        var v = head.Values.Select(x => layout[x]).ToArray();
        var o = head.Outputs.Select(x => layout[x]).ToArray();
        if (v.Length <= o.Length)
        {
            for (var a = 0; a < v.Length; a++)
            {
                wv[v0 + a, v[a]] = 1;
                for (var c = 0; c < o.Length; c++) wo[o[c], v0 + a] += head.OV[a, c];
            }
        }
        else
        {
            for (var c = 0; c < o.Length; c++)
            {
                wo[o[c], v0 + c] = 1;
                for (var a = 0; a < v.Length; a++) wv[v0 + c, v[a]] += head.OV[a, c];
            }
        }
    }

    private static void Copy(Tensor target, double[,] source)
    {
        var (rows, cols) = (source.GetLength(0), source.GetLength(1));
        var flat = new float[rows * cols];
        for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) flat[i * cols + j] = (float)source[i, j];
        using var t = tensor(flat, [rows, cols], dtype: float32);
        target.copy_(t);
    }
}
