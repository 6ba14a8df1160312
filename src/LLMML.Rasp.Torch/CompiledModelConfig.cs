using System.Text.Json.Serialization;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Torch;

/// <summary>
/// Everything needed to rebuild, run and read a compiled transformer: shapes, vocabulary and the
/// label of every residual dimension. Saved next to the weights as labels JSON.
/// </summary>
public sealed record CompiledModelConfig
{
    public required string Name { get; init; }
    /// <summary>Input vocabulary; token id = index + 1 (0 is BOS, Count + 1 is PAD).</summary>
    [JsonConverter(typeof(RaspValueListConverter))]
    public required IReadOnlyList<RaspValue> Vocabulary { get; init; }
    public required string BosToken { get; init; }
    public required string PadToken { get; init; }
    /// <summary>Longest input, not counting BOS. The model accepts MaxLength + 1 positions.</summary>
    public required int MaxLength { get; init; }
    public required bool Causal { get; init; }
    public required int DModel { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KeySize { get; init; }
    public required int ValueSize { get; init; }
    /// <summary>Widest MLP (tracr pads every layer to this; here each layer has its own width).</summary>
    public required int MlpHidden { get; init; }
    /// <summary>MLP hidden width of each layer (at least 1).</summary>
    public required IReadOnlyList<int> MlpHiddenPerLayer { get; init; }
    /// <summary>Label of every residual dimension, "variable:value" or "variable".</summary>
    public required IReadOnlyList<string> ResidualLabels { get; init; }
    /// <summary>Residual range of every variable.</summary>
    public required IReadOnlyList<VariableInfo> Variables { get; init; }
    /// <summary>The output variable.</summary>
    public required string Output { get; init; }
    public required RaspEncoding OutputEncoding { get; init; }
    /// <summary>Per layer, the label of each MLP hidden unit ("unused" only for an empty layer's one unit).</summary>
    public required IReadOnlyList<IReadOnlyList<string>> MlpHiddenLabels { get; init; }
    /// <summary>Per layer, the node each head computes (padding heads are "unused").</summary>
    public required IReadOnlyList<IReadOnlyList<string>> HeadNodes { get; init; }

    public int BosId => 0;
    public int PadId => Vocabulary.Count + 1;
    public int TokenCount => Vocabulary.Count + 2;

    /// <summary>The output variable's range.</summary>
    public VariableInfo OutputVariable => Variables.First(v => v.Name == Output);

    /// <summary>
    /// Weights of the transformer this config describes: embeddings (|V|+2 + N+1)·d, per layer
    /// 2·H·(K + V)·d attention and 2·h_l·d MLP weights (the same count as the compiler's SizeEstimator).
    /// </summary>
    public long ParameterCount
    {
        get
        {
            checked
            {
                long perLayerAttention = 2L * Heads * (KeySize + ValueSize);
                return (long)DModel * (TokenCount + MaxLength + 1 + Layers * perLayerAttention + 2 * MlpHiddenPerLayer.Sum(h => (long)h));
            }
        }
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> when the shapes do not fit together.</summary>
    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"'{source}': {what}.");
        }
        Require(Vocabulary is { Count: > 0 }, "the vocabulary is empty");
        Require(MaxLength >= 1 && DModel >= 1 && Layers >= 0 && Heads >= 1 && KeySize >= 1 && ValueSize >= 1,
            $"sizes out of range (max length {MaxLength}, d_model {DModel}, layers {Layers}, heads {Heads}, key size {KeySize}, value size {ValueSize})");
        Require(MlpHiddenPerLayer is not null && MlpHiddenPerLayer.Count == Layers && MlpHiddenPerLayer.All(h => h >= 1),
            $"{MlpHiddenPerLayer?.Count ?? 0} MLP widths (each at least 1) for {Layers} layers");
        Require(ResidualLabels is not null && ResidualLabels.Count == DModel, $"{ResidualLabels?.Count ?? 0} residual labels for d_model {DModel}");
        Require(Variables is not null && Variables.All(v => v.Start >= 0 && v.Count >= 1 && v.Start + v.Count <= DModel),
            "a variable's dimensions lie outside the residual stream");
        Require(Variables!.Any(v => v.Name == Output), $"no output variable '{Output}'");
        try { _ = ParameterCount; }
        catch (OverflowException) { throw new InvalidDataException($"'{source}': the sizes describe a model too large to count."); }
    }

    /// <summary>A variable's range by name; throws naming it when absent.</summary>
    public VariableInfo Variable(string name) => Variables.FirstOrDefault(v => v.Name == name)
        ?? throw new KeyNotFoundException($"The compiled model has no variable '{name}'.");
}

/// <summary>Where a variable lives: dimensions [Start, Start + Count).</summary>
public sealed record VariableInfo(string Name, int Start, int Count, RaspEncoding Encoding,
    [property: JsonConverter(typeof(RaspValueListConverter))] IReadOnlyList<RaspValue> Values)
{
    public static VariableInfo From(VariableRange r) => new(r.Name, r.Start, r.Count, r.Encoding, r.Values);
}

/// <summary>JSON list of RASP values.</summary>
public sealed class RaspValueListConverter : JsonConverter<IReadOnlyList<RaspValue>>
{
    private static readonly RaspValueJsonConverter Item = new();

    public override IReadOnlyList<RaspValue> Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        var list = new List<RaspValue>();
        if (reader.TokenType != System.Text.Json.JsonTokenType.StartArray) throw new System.Text.Json.JsonException("Expected a list of values.");
        while (reader.Read() && reader.TokenType != System.Text.Json.JsonTokenType.EndArray)
            list.Add(Item.Read(ref reader, typeof(RaspValue), options));
        return list;
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, IReadOnlyList<RaspValue> value, System.Text.Json.JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in value) Item.Write(writer, v, options);
        writer.WriteEndArray();
    }
}
