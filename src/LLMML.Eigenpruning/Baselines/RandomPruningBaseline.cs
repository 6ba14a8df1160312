using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Generation;

namespace LLMML.Eigenpruning.Baselines;

/// <summary>
/// Removes as many singular values as eigenpruning did, from the same matrices and with the same ablation, but chosen
/// uniformly at random: the control that tells whether the attribution scores matter.
/// </summary>
public sealed class RandomPruningBaseline(int seed = 0) : IAdaptationBaseline
{
    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public BaselineRun Adapt(LanguageModel model, BaselineContext context)
    {
        var options = context.Options;
        var ids = MatrixSelection.Resolve(model.Config, options.Matrices, options.Layers);
        var decompositions = ids.Select(id => ProjectionDecomposition.Compute(model.Model, id, options.PerHead)).ToArray();
        try
        {
            var count = context.Eigenprune.Pruned.Count;
            var all = decompositions.SelectMany(d => Enumerable.Range(0, d.Count).Select(n => d.IdOf(n / d.Rank, n % d.Rank))).ToArray();
            new Random(seed).Shuffle(all);
            var chosen = all.Take(count).ToHashSet();
            var means = options.Ablation == Ablation.Mean
                ? MeanInputs.Compute(model, ids, context.Train, options.BatchSize, context.Progress, context.CancellationToken)
                : null;
            for (var k = 0; k < decompositions.Length; k++)
                SingularValueRemoval.Apply(model.Model, decompositions[k], chosen.Where(c => c.Projection == ids[k]), options.Ablation, means?[k]);
            return new BaselineRun($"{count} of {all.Length} singular values of {options.DescribeMatrices()} at random (seed {seed})", count);
        }
        finally
        {
            foreach (var d in decompositions) d.Dispose();
        }
    }
}
