using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Torch.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Rasp.Torch;

/// <summary>
/// A compiled RASP program as a runnable TorchSharp transformer plus its labels: encode inputs,
/// run batches (with every layer's residual stream), decode any variable, save and load.
/// </summary>
public sealed class CompiledModel : IDisposable
{
    public CompiledModel(CompiledTransformer transformer) => Transformer = transformer;

    /// <summary>Compiles the intermediate form into a transformer.</summary>
    public static CompiledModel Assemble(CompiledProgram program) => new(TransformerAssembler.Assemble(program));

    public CompiledTransformer Transformer { get; }
    public CompiledModelConfig Config => Transformer.Config;

    /// <summary>Number of weights.</summary>
    public long ParameterCount => Transformer.parameters().Sum(p => p.numel());

    /// <summary>Token ids [B, T] (BOS + input, PAD-padded to the longest input) for a batch.</summary>
    public Tensor Encode(IReadOnlyList<IReadOnlyList<RaspValue>> inputs)
    {
        var t = inputs.Max(i => i.Count) + 1;
        var ids = new long[inputs.Count * t];
        for (var b = 0; b < inputs.Count; b++)
        {
            var input = inputs[b];
            if (input.Count > Config.MaxLength)
                throw new ArgumentException($"Input {b} has length {input.Count}, more than the compiled maximum {Config.MaxLength}.", nameof(inputs));
            ids[b * t] = Config.BosId;
            for (var i = 0; i < t - 1; i++)
                ids[b * t + i + 1] = i < input.Count ? IdOf(input[i], b, i) : Config.PadId;
        }
        return tensor(ids, [inputs.Count, t], dtype: int64);
    }

    /// <summary>Token id of a vocabulary token (1..|V|); BOS is <see cref="CompiledModelConfig.BosId"/>, PAD <see cref="CompiledModelConfig.PadId"/>.</summary>
    public long TokenId(RaspValue token) => IdOf(token, 0, 0);

    private long IdOf(RaspValue token, int row, int position)
    {
        for (var i = 0; i < Config.Vocabulary.Count; i++) if (Config.Vocabulary[i] == token) return i + 1;
        throw new ArgumentException($"Input {row}, position {position}: token '{token}' is not in the compiled vocabulary {{{string.Join(", ", Config.Vocabulary)}}}.");
    }

    /// <summary>Runs a batch and decodes the output variable at every input position (BOS dropped).</summary>
    public RaspValue[][] Run(IReadOnlyList<IReadOnlyList<RaspValue>> inputs)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var ids = Encode(inputs);
        var final = Transformer.call(ids);
        return DecodeVariable(final, Config.Output, inputs.Select(i => i.Count).ToArray());
    }

    /// <summary>
    /// Runs a batch and records the residual stream entering each compiled layer: L + 1 tensors
    /// [B, T, d_compiled], [i] = entering layer i ([0] = the embeddings), [L] = after the last layer;
    /// the same shape of API as the LM core's residual recorder. Dimension j of every tensor is
    /// <see cref="ResidualLabels"/>[j]. Call inside a dispose scope (and no_grad); the tensors belong
    /// to the caller.
    /// </summary>
    /// <param name="tokenIds">[B, T] from <see cref="Encode"/> (BOS at position 0).</param>
    public IReadOnlyList<Tensor> RecordResiduals(Tensor tokenIds) => Transformer.RecordResiduals(tokenIds);

    /// <summary>Label of every residual dimension, "variable:value" or "variable" (numerical).</summary>
    public IReadOnlyList<string> ResidualLabels => Config.ResidualLabels;

    /// <summary>
    /// Decodes a variable from a residual stream [B, T, d]: argmax of its one-hot (None if all &lt; 0.5)
    /// or its scalar. <paramref name="firstPosition"/> is where input token 0 sits: 1 for the compiled
    /// model's own stream (BOS at 0), 0 for e.g. an adapter's image of an LM stream without BOS.
    /// </summary>
    public RaspValue[][] DecodeVariable(Tensor residual, string variable, IReadOnlyList<int> lengths, int firstPosition = 1)
    {
        var v = Config.Variable(variable);
        using var slice = residual.narrow(2, v.Start, v.Count).to(float32).cpu().contiguous(); // [B, T, count]
        var data = slice.data<float>().ToArray();
        var t = (int)residual.shape[1];
        var result = new RaspValue[lengths.Count][];
        for (var b = 0; b < lengths.Count; b++)
        {
            result[b] = new RaspValue[lengths[b]];
            for (var i = 0; i < lengths[b]; i++)
            {
                var p = i + firstPosition;
                var baseIdx = (b * t + p) * v.Count;
                if (v.Encoding == RaspEncoding.Numerical) { result[b][i] = data[baseIdx]; continue; }
                var best = -1;
                var bestValue = 0.5f;
                for (var k = 0; k < v.Count; k++)
                    if (data[baseIdx + k] > bestValue) { bestValue = data[baseIdx + k]; best = k; }
                result[b][i] = best < 0 ? RaspValue.None : v.Values[best];
            }
        }
        return result;
    }

    /// <summary>
    /// Decodes every variable of a residual stream [B, T, d] (from any layer): the RASP trace,
    /// variable name → per input, per position value. Variables not yet written decode to None / 0.
    /// </summary>
    public Dictionary<string, RaspValue[][]> DecodeTrace(Tensor residual, IReadOnlyList<int> lengths, int firstPosition = 1) =>
        Config.Variables.ToDictionary(v => v.Name, v => DecodeVariable(residual, v.Name, lengths, firstPosition));

    public void Dispose() => Transformer.Dispose();
}
