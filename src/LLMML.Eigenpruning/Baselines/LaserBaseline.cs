using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using LLMML.Foundation.Progress;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Baselines;

/// <summary>
/// LASER (Sharma et al. 2023): replace ONE whole weight matrix by its rank-k truncation, with the layer, the matrix kind
/// and k chosen by accuracy on held-out examples (ties: higher answer log-likelihood). The unmodified model is a
/// candidate too, so LASER never reports a choice worse than doing nothing on the selection set. Here the selection set
/// is the training examples the other methods learn from (LASER learns nothing else from them).
/// </summary>
public sealed class LaserBaseline : IAdaptationBaseline
{
    /// <summary>Kept shares of the rank tried for every matrix (LASER's reduction ρ = 1 − kept).</summary>
    public IReadOnlyList<double> KeptFractions { get; init; } = [0.5, 0.25, 0.1, 0.05, 0.01];

    /// <summary>Matrix kinds searched; null = every kind the model has.</summary>
    public IReadOnlyList<WeightKind>? Kinds { get; init; }

    /// <summary>At most this many selection examples are scored per candidate.</summary>
    public int MaxSelectionExamples { get; init; } = 256;

    /// <inheritdoc />
    public string Name => "laser";

    /// <inheritdoc />
    public BaselineRun Adapt(LanguageModel model, BaselineContext context)
    {
        var kinds = Kinds ?? Enum.GetValues<WeightKind>().Where(k => ModelWeights.Has(model.Config, k)).ToArray();
        var selection = context.Train.Take(MaxSelectionExamples).ToArray();
        var candidates = MatrixSelection.Resolve(model.Config, kinds, null);
        var batch = context.Options.BatchSize * 4;
        var best = (Score: AnswerEvaluator.Evaluate(model, selection, batch), Choice: (ProjectionId?)null, Kept: 0);
        var tried = 0;
        var total = candidates.Count * KeptFractions.Count;
        foreach (var id in candidates)
        {
            using var decomposition = ProjectionDecomposition.Compute(model.Model, id, perHead: false);
            using var original = ModelWeights.Get(model.Model, id.Layer, id.Kind);
            foreach (var kept in KeptFractions.Select(f => Math.Max(1, (int)Math.Round(f * decomposition.Rank))).Distinct())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                Truncate(model, decomposition, kept);
                var score = AnswerEvaluator.Evaluate(model, selection, batch);
                if (score.Accuracy > best.Score.Accuracy || (score.Accuracy == best.Score.Accuracy && score.MeanLogLikelihood > best.Score.MeanLogLikelihood))
                    best = (score, id, kept);
                ModelWeights.Set(model.Model, id.Layer, id.Kind, null, original.Weight);
                context.Progress?.Report(new ProgressUpdate("laser search", ++tried, total));
            }
        }
        if (best.Choice is not { } choice)
            return new BaselineRun($"no truncation beat the unmodified model on {selection.Length} selection examples ({tried} tried)", 0);
        using (var decomposition = ProjectionDecomposition.Compute(model.Model, choice, perHead: false))
            Truncate(model, decomposition, best.Kept);
        return new BaselineRun($"layer {choice.Layer} {MatrixKinds.NameOf(choice.Kind)} truncated to rank {best.Kept} (best of {tried} on {selection.Length} selection examples, accuracy {best.Score.Accuracy:P1})", 1);
    }

    private static void Truncate(LanguageModel model, ProjectionDecomposition decomposition, int kept) =>
        SingularValueRemoval.Apply(model.Model, decomposition,
            Enumerable.Range(kept, decomposition.Rank - kept).Select(i => decomposition.IdOf(0, i)), Ablation.Zero, null);
}
