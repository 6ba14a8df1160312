namespace LLMML.Rasp.Ir;

/// <summary>
/// A two-layer ReLU MLP over named directions: hidden = ReLU(W1ᵀ·x[inputs]), out[outputs] += W2ᵀ·hidden.
/// No biases: a constant comes from the `one` direction (gated off at BOS with tokens:BOS).
/// </summary>
public sealed class MlpBlock
{
    public required string Node { get; init; }
    public required IReadOnlyList<BasisDirection> Inputs { get; init; }
    /// <summary>Unique names of the hidden units (tracr reuses one name for every BOS-cleaning unit).</summary>
    public required IReadOnlyList<string> Hidden { get; init; }
    public required IReadOnlyList<BasisDirection> Outputs { get; init; }
    /// <summary>[input, hidden]</summary>
    public required double[,] W1 { get; init; }
    /// <summary>[hidden, output]</summary>
    public required double[,] W2 { get; init; }
}

/// <summary>
/// One attention head over named directions: score(q, k) = x_q[queries]ᵀ·QK·x_k[keys] (no 1/√d scaling),
/// softmax over keys, out[outputs] += Σ_k weight·OVᵀ·x_k[values].
/// </summary>
public sealed class AttentionHeadBlock
{
    public required string Node { get; init; }
    public required IReadOnlyList<BasisDirection> Queries { get; init; }
    public required IReadOnlyList<BasisDirection> Keys { get; init; }
    /// <summary>[query direction, key direction]</summary>
    public required double[,] QK { get; init; }
    public required IReadOnlyList<BasisDirection> Values { get; init; }
    public required IReadOnlyList<BasisDirection> Outputs { get; init; }
    /// <summary>[value direction, output direction]</summary>
    public required double[,] OV { get; init; }
}

/// <summary>One transformer layer: parallel heads, then parallel MLP blocks (units concatenated).</summary>
public sealed class IrLayer
{
    public List<AttentionHeadBlock> Heads { get; } = [];
    public List<MlpBlock> Mlps { get; } = [];
    public int MlpHiddenWidth => Mlps.Sum(m => m.Hidden.Count);
}

/// <summary>The blocks one SOp compiles to: a head, an MLP, or both (SelectorWidth).</summary>
public sealed record NodeBlocks(AttentionHeadBlock? Head, MlpBlock? Mlp);
