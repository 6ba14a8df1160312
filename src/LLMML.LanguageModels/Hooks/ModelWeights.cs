using LLMML.LanguageModels.Adapters;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Hooks;

/// <summary>
/// Gets and sets per-head attention and MLP weight matrices by (layer, kind, head), in the y = x·W + b convention
/// (<see cref="ProjectionWeights"/>; shapes per kind on <see cref="WeightKind"/>). Head null means the whole projection
/// (W [D, H·hd] for Query, [H·hd, D] for Output, ...). A LoRA-wrapped projection is read and written through its
/// base weight. Used e.g. by eigenpruning: SVD of W, edit, write back.
/// </summary>
public static class ModelWeights
{
    /// <summary>Copies out the weights of one head (or the whole projection when <paramref name="head"/> is null).</summary>
    public static ProjectionWeights Get(CausalLanguageModel model, int layer, WeightKind kind, int? head = null)
    {
        var (linear, slice) = Locate(model, layer, kind, head);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weight = linear.weight!;                                                  // [out, in]
        Tensor w = slice.Dim switch
        {
            SliceDim.None => weight,
            SliceDim.Rows => weight.narrow(0, slice.Start, slice.Length),
            _ => weight.narrow(1, slice.Start, slice.Length),
        };
        var result = w.t().to_type(ScalarType.Float32).contiguous().clone().MoveToOuterDisposeScope();  // [in, out]
        Tensor? bias = null;
        if (linear.bias is { } b && slice.Dim != SliceDim.Columns)
            bias = (slice.Dim == SliceDim.Rows ? b.narrow(0, slice.Start, slice.Length) : b).to_type(ScalarType.Float32).clone().MoveToOuterDisposeScope();
        return new ProjectionWeights(result, bias);
    }

    /// <summary>
    /// Overwrites the weights of one head (or the whole projection). <paramref name="weight"/> must have the shape
    /// <see cref="Get"/> returns; <paramref name="bias"/> null leaves the bias unchanged.
    /// </summary>
    public static void Set(CausalLanguageModel model, int layer, WeightKind kind, int? head, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var (linear, slice) = Locate(model, layer, kind, head);
        var target = linear.weight!;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor view = slice.Dim switch
        {
            SliceDim.None => target,
            SliceDim.Rows => target.narrow(0, slice.Start, slice.Length),
            _ => target.narrow(1, slice.Start, slice.Length),
        };
        var expected = new[] { view.shape[1], view.shape[0] };
        var where = $"layer {layer} {kind}{(head is null ? "" : $" head {head}")}";
        if (!weight.shape.SequenceEqual(expected))
            throw new ArgumentException($"Weight for {where} has shape [{string.Join(", ", weight.shape)}], expected [{string.Join(", ", expected)}] (y = x·W).", nameof(weight));
        if (bias is not null)
        {
            if (linear.bias is null)
                throw new ArgumentException($"{where} has no bias to set.", nameof(bias));
            if (slice.Dim == SliceDim.Columns)
                throw new ArgumentException($"{where}: the output bias is shared by all heads; set it with head = null.", nameof(bias));
            var biasView = slice.Dim == SliceDim.Rows ? linear.bias.narrow(0, slice.Start, slice.Length) : linear.bias;
            if (!bias.shape.SequenceEqual(biasView.shape))
                throw new ArgumentException($"Bias for {where} has shape [{string.Join(", ", bias.shape)}], expected [{string.Join(", ", biasView.shape)}].", nameof(bias));
            biasView.copy_(bias.to(biasView.device).to_type(biasView.dtype));
        }
        view.copy_(weight.t().to(view.device).to_type(view.dtype));
    }

    private enum SliceDim { None, Rows, Columns }

    private readonly record struct Slice(SliceDim Dim, long Start, long Length);

    /// <summary>
    /// The projection module of (<paramref name="layer"/>, <paramref name="kind"/>) as installed: a Linear, or the LoRA
    /// wrapper around it. Forward hooks registered on it see its input [B, T, in] and output [B, T, out] (the whole
    /// projection, all heads), because the blocks invoke projections through <c>call</c>.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Projection(CausalLanguageModel model, int layer, WeightKind kind)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = model.Config;
        if (layer < 0 || layer >= config.NumLayers)
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} does not exist; the model has {config.NumLayers} (0-based).");
        var block = model.layers[layer];
        return kind switch
        {
            WeightKind.Query => block.self_attn.q_proj,
            WeightKind.Key => block.self_attn.k_proj,
            WeightKind.Value => block.self_attn.v_proj,
            WeightKind.Output => block.self_attn.o_proj,
            WeightKind.MlpIn => block.mlp.up_proj,
            WeightKind.MlpGate => block.mlp.gate_proj ?? throw new ArgumentException($"{config.ModelType} MLPs have no gate projection.", nameof(kind)),
            WeightKind.MlpOut => block.mlp.down_proj,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>
    /// How many heads the matrices of <paramref name="kind"/> split into: query/output heads, key/value heads (fewer
    /// under grouped-query attention), or null for the MLP kinds, which have none.
    /// </summary>
    public static int? HeadCount(TransformerConfig config, WeightKind kind)
    {
        ArgumentNullException.ThrowIfNull(config);
        return kind switch
        {
            WeightKind.Query or WeightKind.Output => config.NumHeads,
            WeightKind.Key or WeightKind.Value => config.KeyValueHeads,
            _ => null,
        };
    }

    /// <summary>Whether the model has matrices of <paramref name="kind"/> (only LLaMA-style MLPs have a gate).</summary>
    public static bool Has(TransformerConfig config, WeightKind kind) => kind != WeightKind.MlpGate || config.UsesGatedMlp;

    private static (Linear Linear, Slice Slice) Locate(CausalLanguageModel model, int layer, WeightKind kind, int? head)
    {
        var config = model.Config;
        var projection = Projection(model, layer, kind);
        var linear = projection switch
        {
            Linear l => l,
            LoraLinear lora => lora.base_layer,
            _ => throw new NotSupportedException($"Layer {layer} {kind} is a {projection.GetType().Name}, not a Linear."),
        };
        if (head is null) return (linear, new Slice(SliceDim.None, 0, 0));

        var heads = HeadCount(config, kind) ?? throw new ArgumentException($"{kind} has no heads; pass head = null.", nameof(head));
        if (head < 0 || head >= heads)
            throw new ArgumentOutOfRangeException(nameof(head), $"{kind} head {head} does not exist; there are {heads}.");
        var hd = config.HeadDim;
        return (linear, new Slice(kind == WeightKind.Output ? SliceDim.Columns : SliceDim.Rows, head.Value * hd, hd));
    }
}
