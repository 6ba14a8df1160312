// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Matrices;

/// <summary>How a projection's heads cut its weight W [in, out] (y = x·W + b).</summary>
public enum HeadAxis
{
    /// <summary>Decomposed whole (MLP matrices, or attention with per-head decomposition off).</summary>
    None,

    /// <summary>Query, key and value: head h owns output columns h·hd … (h+1)·hd − 1 and reads the whole input.</summary>
    Output,

    /// <summary>Attention output: head h owns input rows h·hd … (h+1)·hd − 1 and writes the whole output.</summary>
    Input,
}

/// <summary>
/// The thin SVD of one projection, per head or whole, in the y = x·W convention: W_h = U_h·diag(S_h)·V_hᵀ with
/// U_h [in_h, r] the input-side and V_h [out_h, r] the output-side singular vectors (METHODS.md §1). Computed in
/// float64 from the weights at construction; pruning edits the model, never this object.
/// </summary>
internal sealed class ProjectionDecomposition : IDisposable
{
    private ProjectionDecomposition(ProjectionId id, HeadAxis axis, Tensor u, Tensor s, Tensor v, long inputSize, long outputSize)
    {
        Id = id;
        Axis = axis;
        U = u;
        S = s;
        V = v;
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    public ProjectionId Id { get; }

    public HeadAxis Axis { get; }

    /// <summary>[H, in_h, r] float64</summary>
    public Tensor U { get; }

    /// <summary>[H, r] float64, descending per head</summary>
    public Tensor S { get; }

    /// <summary>[H, out_h, r] float64</summary>
    public Tensor V { get; }

    /// <summary>Rows of the whole W.</summary>
    public long InputSize { get; }

    /// <summary>Columns of the whole W.</summary>
    public long OutputSize { get; }

    public int Heads => (int)S.shape[0];

    public int Rank => (int)S.shape[1];

    /// <summary>Singular values in all heads.</summary>
    public int Count => Heads * Rank;

    /// <summary>The id of singular value <paramref name="index"/> of head <paramref name="head"/>.</summary>
    public SingularValueId IdOf(int head, int index) => new(Id, Axis == HeadAxis.None ? null : head, index);

    /// <summary>Decomposes projection <paramref name="id"/> of <paramref name="model"/>, per head when <paramref name="perHead"/> and the kind has heads.</summary>
    public static ProjectionDecomposition Compute(CausalLanguageModel model, ProjectionId id, bool perHead)
    {
        using var scope = NewDisposeScope();
        using var weights = ModelWeights.Get(model, id.Layer, id.Kind);
        var w = weights.Weight.to_type(ScalarType.Float64);                                   // [in, out]
        long input = w.shape[0], output = w.shape[1];
        var headCount = perHead ? ModelWeights.HeadCount(model.Config, id.Kind) : null;
        var axis = headCount is null ? HeadAxis.None : id.Kind == WeightKind.Output ? HeadAxis.Input : HeadAxis.Output;
        var heads = headCount ?? 1;
        var hd = model.Config.HeadDim;
        var blocks = axis switch                                                                 // [H, in_h, out_h]
        {
            HeadAxis.Input => w.view(heads, hd, output),
            HeadAxis.Output => w.view(input, heads, hd).permute(1, 0, 2),
            _ => w.unsqueeze(0),
        };
        var (u, s, vh) = linalg.svd(blocks.contiguous(), fullMatrices: false);                  // [H, in_h, r], [H, r], [H, r, out_h]
        return new ProjectionDecomposition(id, axis,
            u.contiguous().MoveToOuterDisposeScope(), s.contiguous().MoveToOuterDisposeScope(),
            vh.transpose(1, 2).contiguous().MoveToOuterDisposeScope(), input, output);
    }

    /// <summary>
    /// Σ s_i·u_i·v_iᵀ over the singular values marked in <paramref name="mask"/>, placed in the whole matrix: what
    /// removing them subtracts from W.
    /// </summary>
    /// <param name="mask">[H, r], 1 = removed</param>
    /// <returns>[in, out] float64</returns>
    public Tensor Part(Tensor mask)
    {
        using var scope = NewDisposeScope();
        return Assemble(einsum("hir,hr,hor->hio", U, S * mask.to_type(ScalarType.Float64).to(S.device), V)).MoveToOuterDisposeScope();
    }

    /// <summary>Per-head blocks placed where the heads sit in the whole matrix.</summary>
    /// <param name="blocks">[H, in_h, out_h]</param>
    /// <returns>[in, out], contiguous</returns>
    public Tensor Assemble(Tensor blocks) => (Axis switch
    {
        HeadAxis.Input => blocks.reshape(InputSize, OutputSize),
        HeadAxis.Output => blocks.permute(1, 0, 2).reshape(InputSize, OutputSize),
        _ => blocks[0],
    }).contiguous();

    /// <summary>The projection's input as each head reads it.</summary>
    /// <param name="x">[..., in]</param>
    /// <returns>[..., H, in_h]</returns>
    public Tensor InputPerHead(Tensor x) => Axis == HeadAxis.Input
        ? x.unflatten(x.dim() - 1, [Heads, x.shape[^1] / Heads])
        : x.unsqueeze(x.dim() - 1).expand([.. x.shape[..^1], Heads, x.shape[^1]]);

    /// <summary>A gradient (or output) at the projection's output as each head's part of it.</summary>
    /// <param name="g">[..., out]</param>
    /// <returns>[..., H, out_h]</returns>
    public Tensor OutputPerHead(Tensor g) => Axis == HeadAxis.Output
        ? g.unflatten(g.dim() - 1, [Heads, g.shape[^1] / Heads])
        : g.unsqueeze(g.dim() - 1).expand([.. g.shape[..^1], Heads, g.shape[^1]]);

    public void Dispose()
    {
        U.Dispose();
        S.Dispose();
        V.Dispose();
    }
}
