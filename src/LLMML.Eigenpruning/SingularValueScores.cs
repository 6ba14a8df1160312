using System.Diagnostics;
using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning;

/// <summary>
/// The scores of one attribution pass, kept with the decompositions they refer to, so several selections (fractions,
/// counts, ablations) can be pruned from copies of the scored model without scoring again. Made by
/// <see cref="Eigenpruner.Score"/>.
/// </summary>
public sealed class SingularValueScores : IDisposable
{
    private readonly IReadOnlyList<ProjectionDecomposition> _decompositions;
    private readonly Tensor[] _scoredWeights;

    internal SingularValueScores(IReadOnlyList<ProjectionDecomposition> decompositions, Tensor[] scoredWeights, AttributionResult attribution, double seconds)
    {
        this._decompositions = decompositions;
        this._scoredWeights = scoredWeights;
        Attribution = attribution;
        Seconds = seconds;
    }

    /// <summary>Every singular value's score, per projection and head.</summary>
    public AttributionResult Attribution { get; }

    /// <summary>Wall time of decomposing and scoring.</summary>
    public double Seconds { get; }

    /// <summary>Singular values scored.</summary>
    public int Count => _decompositions.Sum(d => d.Count);

    /// <summary>
    /// Removes the chosen singular values from <paramref name="model"/>, which must hold the scored weights (the scored
    /// model, or a <c>Clone()</c> of it); set at most one of <paramref name="fraction"/>, <paramref name="count"/> and
    /// <paramref name="threshold"/> (none = 20%).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model's weights are not the scored ones, or mean ablation of a projection without a bias.</exception>
    public EigenpruneReport Prune(LanguageModel model, Ablation ablation, double? fraction = null, int? count = null, double? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < _decompositions.Count; k++)
        {
            var id = _decompositions[k].Id;
            using var weights = ModelWeights.Get(model.Model, id.Layer, id.Kind);
            if (weights.Weight.device.ToString() != _scoredWeights[k].device.ToString() || !weights.Weight.allclose(_scoredWeights[k], 0, 0))
                throw new InvalidOperationException($"The weights of {id} are not those that were scored (or live on another device); prune the scored model or a Clone() of it.");
        }
        var chosen = PruningSelection.Choose(Attribution, fraction, count, threshold);
        for (var k = 0; k < _decompositions.Count; k++)
        {
            var d = _decompositions[k];
            SingularValueRemoval.Apply(model.Model, d, chosen.Where(c => c.Id.Projection == d.Id).Select(c => c.Id), ablation, Attribution.Projections[k].MeanInput);
        }
        return EigenpruneReport.Create(Attribution, chosen, ablation, Seconds, Seconds + clock.Elapsed.TotalSeconds);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in _decompositions) d.Dispose();
        foreach (var w in _scoredWeights) w.Dispose();
    }
}
