using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Generation;

namespace LLMML.Eigenpruning.Baselines;

/// <summary>
/// Removes as many singular values as eigenpruning did, from the same matrices and with the same ablation, but the
/// smallest by magnitude (across all selected matrices): the control for "the scores only found the directions that
/// carry the least", and — next to the paper-compatible mode — for whether enumeration-order pruning of early-layer
/// keys is any different from removing the weakest directions.
/// </summary>
public sealed class SmallestMagnitudeBaseline : IAdaptationBaseline
{
    /// <inheritdoc />
    public string Name => "smallest";

    /// <inheritdoc />
    public BaselineRun Adapt(LanguageModel model, BaselineContext context)
    {
        var options = context.Options;
        var ids = MatrixSelection.Resolve(model.Config, options.Matrices, options.Layers);
        var decompositions = ids.Select(id => ProjectionDecomposition.Compute(model.Model, id, options.PerHead)).ToArray();
        try
        {
            var count = context.Eigenprune.Pruned.Count;
            var all = decompositions.SelectMany(d =>
            {
                var s = d.S.cpu().data<double>().ToArray();
                return Enumerable.Range(0, d.Count).Select(n => (Id: d.IdOf(n / d.Rank, n % d.Rank), Value: s[n]));
            }).ToArray();
            // Stable: equal values keep enumeration order.
            var chosen = all.Select((v, n) => (v, n)).OrderBy(p => p.v.Value).ThenBy(p => p.n).Take(count).Select(p => p.v.Id).ToHashSet();
            var means = options.Ablation == Ablation.Mean
                ? MeanInputs.Compute(model, ids, context.Train, options.BatchSize, context.Progress, context.CancellationToken)
                : null;
            for (var k = 0; k < decompositions.Length; k++)
                SingularValueRemoval.Apply(model.Model, decompositions[k], chosen.Where(c => c.Projection == ids[k]), options.Ablation, means?[k]);
            var largest = all.Where(v => chosen.Contains(v.Id)).Select(v => v.Value).DefaultIfEmpty(0).Max();
            return new BaselineRun($"the {count} smallest of {all.Length} singular values of {options.DescribeMatrices()} (all ≤ {largest:G3})", count);
        }
        finally
        {
            foreach (var d in decompositions) d.Dispose();
        }
    }
}
