using LLMML.Eigenpruning.Matrices;
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Pruning;

/// <summary>
/// Removes singular values from a model's dense weights: W' = W − Σ s_i·u_i·v_iᵀ and, with mean ablation,
/// b' = b + mean(x)·Σ s_i·u_i·v_iᵀ, so on average over the training tokens the projection's output is unchanged while the
/// removed directions no longer carry per-example information. The model stays a plain dense model (it exports as a
/// Hugging Face checkpoint as is).
/// </summary>
internal static class SingularValueRemoval
{
    /// <summary>Edits projection <paramref name="decomposition"/>.Id of <paramref name="model"/>; a no-op for an empty <paramref name="removed"/>.</summary>
    /// <param name="meanInput">The projection's mean input over the training tokens; required for <see cref="Ablation.Mean"/>.</param>
    public static void Apply(CausalLanguageModel model, ProjectionDecomposition decomposition, IEnumerable<SingularValueId> removed, Ablation ablation, double[]? meanInput)
    {
        var id = decomposition.Id;
        var marks = removed.ToArray();
        if (marks.Length == 0) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mask = zeros(decomposition.Heads, decomposition.Rank, dtype: ScalarType.Float64);
        foreach (var mark in marks)
        {
            if (mark.Projection != id) throw new ArgumentException($"Singular value {mark} is not in {id}.", nameof(removed));
            mask[mark.Head ?? 0, mark.Index] = 1.0;
        }
        using var weights = ModelWeights.Get(model, id.Layer, id.Kind);
        var part = decomposition.Part(mask);                                                    // [in, out] float64
        var weight = weights.Weight.to_type(ScalarType.Float64) - part;
        Tensor? bias = null;
        if (ablation == Ablation.Mean)
        {
            if (weights.Bias is null)
                throw new InvalidOperationException(
                    $"Mean ablation folds the removed directions' mean output into the bias, but {id} has no bias ({model.Config.ModelType}); use Ablation.Zero.");
            if (meanInput is null || meanInput.Length != decomposition.InputSize)
                throw new ArgumentException($"Mean ablation of {id} needs its mean input of length {decomposition.InputSize}.", nameof(meanInput));
            var mean = tensor(meanInput, dtype: ScalarType.Float64, device: part.device);           // [in]
            bias = weights.Bias.to_type(ScalarType.Float64) + mean.matmul(part);
        }
        ModelWeights.Set(model, id.Layer, id.Kind, null, weight.to_type(ScalarType.Float32), bias?.to_type(ScalarType.Float32));
    }
}
