using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Attribution;

/// <summary>
/// The exact scorer (<see cref="Scorer.Exact"/>): each singular value is removed in turn — its output replaced by its
/// mean (mean ablation) or by nothing (zero ablation), through a forward hook, the weights untouched — and the mean
/// answer NLL over the scoring examples is measured again. score_i = NLL(without i) − NLL: negative = removing it helps.
/// This is what the linear estimate approximates; it costs one forward pass over the examples per singular value.
/// </summary>
internal static class ExactAblation
{
    public const string Stage = "exact ablation";

    public static AttributionResult Run(LanguageModel model, IReadOnlyList<ProjectionDecomposition> decompositions, IReadOnlyList<PromptAnswerTokens> examples,
        EigenpruneSettings settings, CancellationToken cancellationToken)
    {
        var total = decompositions.Sum(d => d.Count);
        if (total > settings.ExactBudget)
            throw new ArgumentException($"The exact scorer would run {total} ablations (one forward pass each over {Math.Min(settings.ExactExamples, examples.Count)} examples), " +
                $"above ExactBudget = {settings.ExactBudget}; select fewer matrices or layers, or raise the budget.", nameof(settings));
        var scoring = examples.Take(settings.ExactExamples).ToArray();
        var ids = decompositions.Select(d => d.Id).ToArray();
        // The means are over all training examples, as the pruning itself folds them (MeanInputs).
        var means = MeanInputs.Compute(model, ids, examples, settings.BatchSize, settings.Progress, cancellationToken);
        var chunk = Math.Max(settings.BatchSize, 64);
        var batches = new List<AnswerBatch>();
        using var mode = ModuleMode.Evaluation(model.Model);
        using var noGrad = no_grad();
        try
        {
            for (var start = 0; start < scoring.Length; start += chunk)
                batches.Add(AnswerBatch.For(model, scoring.Skip(start).Take(chunk).ToArray()).DetachFromDisposeScope());
            var baseline = Loss(model, batches) / scoring.Length;
            var result = new List<ProjectionAttribution>();
            var done = 0;
            for (var k = 0; k < decompositions.Count; k++)
            {
                var d = decompositions[k];
                var scores = new double[d.Heads][];
                using var mean = tensor(means[k], dtype: ScalarType.Float32, device: model.Device);   // [in]
                var module = ModelWeights.Projection(model.Model, d.Id.Layer, d.Id.Kind);
                for (var h = 0; h < d.Heads; h++)
                {
                    scores[h] = new double[d.Rank];
                    for (var i = 0; i < d.Rank; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var scope = NewDisposeScope();
                        var mask = zeros(d.Heads, d.Rank, dtype: ScalarType.Float64);
                        mask[h, i] = 1.0;
                        var part = d.Part(mask).to_type(ScalarType.Float32);                          // [in, out]
                        var hook = module.register_forward_hook((_, x, y) => settings.Ablation == Ablation.Mean
                            ? y + (mean - x).matmul(part)                                               // the direction's output → its mean
                            : y - x.matmul(part));
                        try
                        {
                            scores[h][i] = Loss(model, batches) / scoring.Length - baseline;
                        }
                        finally
                        {
                            hook.remove();
                        }
                        settings.Progress?.Report(new ProgressUpdate(Stage, ++done, total));
                    }
                }
                var singular = d.S.cpu().to_type(ScalarType.Float64);
                result.Add(new ProjectionAttribution(d.Id, scores, Enumerable.Range(0, d.Heads).Select(h => singular[h].data<double>().ToArray()).ToArray(), means[k], d.Axis));
                singular.Dispose();
            }
            return new AttributionResult(result, scoring.Length, 0, settings.Reduction, Scorer.Exact);
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }
    }

    /// <summary>Summed answer NLL over every batch.</summary>
    private static double Loss(LanguageModel model, IReadOnlyList<AnswerBatch> batches)
    {
        var sum = 0.0;
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var logits = model.Model.forward(batch.InputIds, batch.AttentionMask, null);
            sum -= AnswerObjective.TokenLogProbabilities(logits, batch).to_type(ScalarType.Float64).sum().item<double>();
        }
        return sum;
    }
}
