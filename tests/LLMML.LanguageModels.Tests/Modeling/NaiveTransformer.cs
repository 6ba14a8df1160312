using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Modeling;

/// <summary>
/// An independent float64 reference written from the Hugging Face definitions (GPT2LMHeadModel, LlamaForCausalLM /
/// Qwen2ForCausalLM, PhiForCausalLM) with plain loops over arrays of Hugging Face-named weights. It shares no code
/// with the library: it reads HF tensor names and layouts (Conv1D [in, out] for GPT-2, Linear [out, in] otherwise).
/// </summary>
internal sealed class NaiveTransformer
{
    public required string ModelType { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int Hidden { get; init; }
    public double Eps { get; init; } = 1e-5;
    public double Theta { get; init; } = 10000;
    public double PartialRotary { get; init; } = 1.0;
    public bool Tied { get; init; }
    public required Dictionary<string, (double[] Data, long[] Shape)> W { get; init; }

    public static Dictionary<string, (double[] Data, long[] Shape)> FromTensors(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.ToDictionary(kv => kv.Key, kv => (kv.Value.to_type(ScalarType.Float64).contiguous().data<double>().ToArray(), kv.Value.shape));

    private int HeadDim => Hidden / Heads;

    /// <summary>Logits [T][V] for one unpadded sequence, and the residual stream [layer 0..L][T][D].</summary>
    public (double[][] Logits, List<double[][]> Residuals) Run(int[] ids)
    {
        var t = ids.Length;
        var residuals = new List<double[][]>();
        double[][] h;
        string final;
        if (ModelType == "gpt2")
        {
            var wte = W["transformer.wte.weight"];
            var wpe = W["transformer.wpe.weight"];
            h = Enumerable.Range(0, t).Select(i => Add(Row(wte, ids[i]), Row(wpe, i))).ToArray();
            final = "transformer.ln_f";
        }
        else
        {
            var emb = W["model.embed_tokens.weight"];
            h = Enumerable.Range(0, t).Select(i => Row(emb, ids[i])).ToArray();
            final = ModelType == "phi" ? "model.final_layernorm" : "model.norm";
        }
        residuals.Add(Copy(h));
        for (var l = 0; l < Layers; l++)
        {
            h = ModelType switch
            {
                "gpt2" => Gpt2Block(h, l),
                "phi" => PhiBlock(h, l),
                _ => LlamaBlock(h, l),
            };
            residuals.Add(Copy(h));
        }
        var normed = h.Select(x => ModelType is "gpt2" or "phi" ? LayerNorm(x, final) : RmsNorm(x, final)).ToArray();
        double[][] logits;
        if (Tied)
        {
            var emb = ModelType == "gpt2" ? W["transformer.wte.weight"] : W["model.embed_tokens.weight"];
            logits = normed.Select(x => MatVecRows(emb, x, null)).ToArray();
        }
        else
        {
            W.TryGetValue("lm_head.bias", out var bias);
            logits = normed.Select(x => MatVecRows(W["lm_head.weight"], x, bias.Data)).ToArray();
        }
        return (logits, residuals);
    }

    /// <summary>Self-attention output of layer l for already-normed inputs a [T][D] at positions 0…T−1 (causal).</summary>
    public double[][] AttentionOutput(int l, double[][] a)
    {
        if (ModelType != "gpt2")
            return RotaryAttention(a, $"model.layers.{l}.self_attn.", ModelType == "phi" ? "dense" : "o_proj");
        var p = $"transformer.h.{l}.";
        // Conv1D: y = x·W + b with W [in, out]; c_attn's columns are q | k | v.
        var qkv = a.Select(x => VecMatConv(W[p + "attn.c_attn.weight"], x, W[p + "attn.c_attn.bias"].Data)).ToArray();
        var q = qkv.Select(r => r[..Hidden]).ToArray();
        var k = qkv.Select(r => r[Hidden..(2 * Hidden)]).ToArray();
        var v = qkv.Select(r => r[(2 * Hidden)..]).ToArray();
        var attn = Attend(q, k, v, Heads, Heads);
        return attn.Select(x => VecMatConv(W[p + "attn.c_proj.weight"], x, W[p + "attn.c_proj.bias"].Data)).ToArray();
    }

    /// <summary>MLP output of layer l for already-normed inputs m [T][D].</summary>
    public double[][] MlpOutput(int l, double[][] m)
    {
        if (ModelType == "gpt2")
        {
            var p = $"transformer.h.{l}.";
            return m.Select(x => VecMatConv(W[p + "mlp.c_proj.weight"], GeluTanh(VecMatConv(W[p + "mlp.c_fc.weight"], x, W[p + "mlp.c_fc.bias"].Data)), W[p + "mlp.c_proj.bias"].Data)).ToArray();
        }
        var q = $"model.layers.{l}.";
        if (ModelType == "phi")
            return m.Select(x => MatVecRows(W[q + "mlp.fc2.weight"], GeluTanh(MatVecRows(W[q + "mlp.fc1.weight"], x, Bias(q + "mlp.fc1.bias"))), Bias(q + "mlp.fc2.bias"))).ToArray();
        return m.Select(x =>
        {
            var gate = MatVecRows(W[q + "mlp.gate_proj.weight"], x, Bias(q + "mlp.gate_proj.bias"));
            var up = MatVecRows(W[q + "mlp.up_proj.weight"], x, Bias(q + "mlp.up_proj.bias"));
            var act = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
            return MatVecRows(W[q + "mlp.down_proj.weight"], act, Bias(q + "mlp.down_proj.bias"));
        }).ToArray();
    }

    private double[][] Gpt2Block(double[][] h, int l)
    {
        var p = $"transformer.h.{l}.";
        var attn = AttentionOutput(l, h.Select(x => LayerNorm(x, p + "ln_1")).ToArray());
        var h2 = h.Select((x, i) => Add(x, attn[i])).ToArray();
        var f = MlpOutput(l, h2.Select(x => LayerNorm(x, p + "ln_2")).ToArray());
        return h2.Select((x, i) => Add(x, f[i])).ToArray();
    }

    private double[][] LlamaBlock(double[][] h, int l)
    {
        var p = $"model.layers.{l}.";
        var attn = AttentionOutput(l, h.Select(x => RmsNorm(x, p + "input_layernorm")).ToArray());
        var h2 = h.Select((x, i) => Add(x, attn[i])).ToArray();
        var f = MlpOutput(l, h2.Select(x => RmsNorm(x, p + "post_attention_layernorm")).ToArray());
        return h2.Select((x, i) => Add(x, f[i])).ToArray();
    }

    private double[][] PhiBlock(double[][] h, int l)
    {
        var a = h.Select(x => LayerNorm(x, $"model.layers.{l}.input_layernorm")).ToArray();
        var attn = AttentionOutput(l, a);
        var f = MlpOutput(l, a);
        return h.Select((x, i) => Add(Add(x, attn[i]), f[i])).ToArray();
    }

    private double[][] RotaryAttention(double[][] a, string p, string outName)
    {
        var q = a.Select(x => MatVecRows(W[p + "q_proj.weight"], x, Bias(p + "q_proj.bias"))).ToArray();
        var k = a.Select(x => MatVecRows(W[p + "k_proj.weight"], x, Bias(p + "k_proj.bias"))).ToArray();
        var v = a.Select(x => MatVecRows(W[p + "v_proj.weight"], x, Bias(p + "v_proj.bias"))).ToArray();
        var rd = (int)(HeadDim * PartialRotary) / 2 * 2;
        for (var pos = 0; pos < a.Length; pos++)
        {
            Rotate(q[pos], Heads, pos, rd);
            Rotate(k[pos], KvHeads, pos, rd);
        }
        var attn = Attend(q, k, v, Heads, KvHeads);
        return attn.Select(x => MatVecRows(W[p + outName + ".weight"], x, Bias(p + outName + ".bias"))).ToArray();
    }

    /// <summary>rotate_half convention: dimension i pairs with i + rd/2, frequency theta^(−2i/rd).</summary>
    private void Rotate(double[] x, int heads, int pos, int rd)
    {
        var half = rd / 2;
        for (var hh = 0; hh < heads; hh++)
        {
            var o = hh * HeadDim;
            for (var i = 0; i < half; i++)
            {
                // transformers computes the frequencies in float32; mirror that so the comparison is tight.
                var freq = 1.0f / MathF.Pow((float)Theta, (float)(2 * i) / rd);
                var angle = (double)((float)pos * freq);
                double x1 = x[o + i], x2 = x[o + i + half];
                x[o + i] = x1 * Math.Cos(angle) - x2 * Math.Sin(angle);
                x[o + i + half] = x2 * Math.Cos(angle) + x1 * Math.Sin(angle);
            }
        }
    }

    /// <summary>Causal softmax attention; query head h reads key/value head h / (heads / kvHeads).</summary>
    private double[][] Attend(double[][] q, double[][] k, double[][] v, int heads, int kvHeads)
    {
        var t = q.Length;
        var hd = HeadDim;
        var result = new double[t][];
        for (var i = 0; i < t; i++)
        {
            result[i] = new double[heads * hd];
            for (var hh = 0; hh < heads; hh++)
            {
                var g = hh / (heads / kvHeads);
                var scores = new double[i + 1];
                for (var j = 0; j <= i; j++)
                {
                    double s = 0;
                    for (var d = 0; d < hd; d++) s += q[i][hh * hd + d] * k[j][g * hd + d];
                    scores[j] = s / Math.Sqrt(hd);
                }
                var max = scores.Max();
                var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
                var sum = exp.Sum();
                for (var j = 0; j <= i; j++)
                    for (var d = 0; d < hd; d++)
                        result[i][hh * hd + d] += exp[j] / sum * v[j][g * hd + d];
            }
        }
        return result;
    }

    private double[]? Bias(string name) => W.TryGetValue(name, out var b) ? b.Data : null;

    private double[] LayerNorm(double[] x, string prefix)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var w = W[prefix + ".weight"].Data;
        var b = W[prefix + ".bias"].Data;
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + Eps) * w[i] + b[i]).ToArray();
    }

    private double[] RmsNorm(double[] x, string prefix)
    {
        var rms = Math.Sqrt(x.Select(v => v * v).Average() + Eps);
        var w = W[prefix + ".weight"].Data;
        return x.Select((v, i) => v / rms * w[i]).ToArray();
    }

    private static double[] GeluTanh(double[] x) =>
        x.Select(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))).ToArray();

    /// <summary>Row r of a [rows, cols] matrix.</summary>
    private static double[] Row((double[] Data, long[] Shape) m, int r)
    {
        var cols = (int)m.Shape[1];
        return m.Data.AsSpan(r * cols, cols).ToArray();
    }

    /// <summary>x·W + b with W [in, out] (Conv1D).</summary>
    private static double[] VecMatConv((double[] Data, long[] Shape) w, double[] x, double[]? b)
    {
        int rows = (int)w.Shape[0], cols = (int)w.Shape[1];
        var y = new double[cols];
        for (var j = 0; j < cols; j++)
        {
            double s = b?[j] ?? 0;
            for (var i = 0; i < rows; i++) s += x[i] * w.Data[i * cols + j];
            y[j] = s;
        }
        return y;
    }

    /// <summary>W·x + b with W [out, in] (Linear).</summary>
    private static double[] MatVecRows((double[] Data, long[] Shape) w, double[] x, double[]? b)
    {
        int rows = (int)w.Shape[0], cols = (int)w.Shape[1];
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            double s = b?[r] ?? 0;
            for (var c = 0; c < cols; c++) s += w.Data[r * cols + c] * x[c];
            y[r] = s;
        }
        return y;
    }

    private static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();

    private static double[][] Copy(double[][] h) => h.Select(r => (double[])r.Clone()).ToArray();
}
