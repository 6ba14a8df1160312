using LLMML.Rasp.Language;
using LLMML.Rasp.Passes;

namespace LLMML.Rasp.Ir;

/// <summary>
/// The intermediate form: blocks over named residual directions, allocated to layers, plus the
/// embeddings. It runs on its own in double precision (<see cref="IrInterpreter"/>), which makes it
/// the oracle for the TorchSharp assembly. Position 0 holds BOS; input token i sits at position i+1.
/// Token ids: 0 = BOS, 1..|V| = the vocabulary in order, |V|+1 = PAD.
/// </summary>
public sealed class CompiledProgram
{
    public required string Name { get; init; }
    public required ResidualLayout Layout { get; init; }
    public required IReadOnlyList<IrLayer> Layers { get; init; }
    public required IReadOnlyList<RaspValue> Vocabulary { get; init; }
    public required int MaxLength { get; init; }
    public required bool Causal { get; init; }
    /// <summary>Label of the output variable.</summary>
    public required string Output { get; init; }
    public required RaspEncoding OutputEncoding { get; init; }
    /// <summary>Value set of every SOp, by label.</summary>
    public required IReadOnlyDictionary<string, ValueSet> ValueSets { get; init; }
    /// <summary>[token id, residual dimension]</summary>
    public required double[,] TokenEmbedding { get; init; }
    /// <summary>[position, residual dimension]; positions 0..MaxLength (0 = BOS).</summary>
    public required double[,] PositionEmbedding { get; init; }
    public required string BosToken { get; init; }
    public required string PadToken { get; init; }
    /// <summary>Wall time of the compilation in milliseconds.</summary>
    public double CompileMilliseconds { get; internal set; }

    public int BosId => 0;
    public int PadId => Vocabulary.Count + 1;
    public int TokenCount => Vocabulary.Count + 2;
    public int ResidualWidth => Layout.Width;
    public int LayerCount => Layers.Count;
    public int MaxHeads => Layers.Count == 0 ? 0 : Layers.Max(l => l.Heads.Count);
    public int MaxMlpHidden => Layers.Count == 0 ? 0 : Layers.Max(l => l.MlpHiddenWidth);

    /// <summary>Weights of the assembled transformer (see <see cref="SizeEstimator"/>).</summary>
    public long ParameterCount => SizeEstimator.Parameters(ResidualWidth, Vocabulary.Count, MaxLength, Layers);

    /// <summary>Largest per-head query/key width after factorising QK (the assembled key size).</summary>
    public int KeySize => Layers.SelectMany(l => l.Heads).Select(h => Math.Min(h.Queries.Count, h.Keys.Count)).DefaultIfEmpty(0).Max();

    /// <summary>Largest per-head value width after factorising OV.</summary>
    public int ValueSize => Layers.SelectMany(l => l.Heads).Select(h => Math.Min(h.Values.Count, h.Outputs.Count)).DefaultIfEmpty(0).Max();

    /// <summary>The output variable's residual range.</summary>
    public VariableRange OutputRange => Layout.Variable(Output);

    /// <summary>Token ids of [BOS] + input; throws naming an unknown token or a too-long input.</summary>
    public int[] Encode(IReadOnlyList<RaspValue> input)
    {
        if (input.Count > MaxLength)
            throw new ArgumentException($"Input length {input.Count} exceeds the compiled maximum length {MaxLength}.", nameof(input));
        var ids = new int[input.Count + 1];
        ids[0] = BosId;
        for (var i = 0; i < input.Count; i++)
        {
            var id = IndexOf(Vocabulary, input[i]);
            if (id < 0) throw new ArgumentException($"Token '{input[i]}' at position {i} is not in the compiled vocabulary {{{string.Join(", ", Vocabulary)}}}.", nameof(input));
            ids[i + 1] = id + 1;
        }
        return ids;
    }

    private static int IndexOf(IReadOnlyList<RaspValue> list, RaspValue v)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == v) return i;
        return -1;
    }

    /// <summary>Decodes the output variable at one position of a residual vector.</summary>
    public RaspValue DecodeOutput(Func<int, double> residualAt)
    {
        var range = OutputRange;
        if (range.Encoding == RaspEncoding.Numerical) return residualAt(range.Start);
        var best = -1;
        var bestValue = 0.5; // an all-zero (None) vector decodes to None
        for (var i = 0; i < range.Count; i++)
        {
            var x = residualAt(range.Start + i);
            if (x > bestValue) { bestValue = x; best = i; }
        }
        return best < 0 ? RaspValue.None : range.Values[best];
    }
}
