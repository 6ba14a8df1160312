using MathNet.Numerics.Statistics;
using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Matrices;

namespace LLMML.Eigenpruning.Comparison;

/// <summary>
/// How two scorings of the same singular values agree: Spearman rank correlation over all of them and the overlap of
/// their k lowest (the ones each would prune); and the Jaccard index of two sets of directions.
/// </summary>
public static class ScoreAgreement
{
    /// <summary>Spearman correlation (average ranks for ties) and |lowest-k(a) ∩ lowest-k(b)| / k over the values both score.</summary>
    /// <exception cref="ArgumentException">The two results score different singular values.</exception>
    public static (double Spearman, double TopKOverlap) Compare(AttributionResult a, AttributionResult b, int k)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var left = a.All().ToDictionary(v => v.Id, v => v.Score);
        var right = b.All().ToDictionary(v => v.Id, v => v.Score);
        if (left.Count != right.Count || left.Keys.Any(id => !right.ContainsKey(id)))
            throw new ArgumentException($"The two scorings cover different singular values ({left.Count} and {right.Count}); score the same matrices.", nameof(b));
        var ids = left.Keys.ToArray();
        var x = ids.Select(id => left[id]).ToArray();
        var y = ids.Select(id => right[id]).ToArray();
        return (Spearman(x, y), k <= 0 ? double.NaN : Lowest(a, k).Intersect(Lowest(b, k)).Count() / (double)k);
    }

    /// <summary>The k lowest-scored values (ties: selection order), as pruning would choose them.</summary>
    public static IReadOnlyList<SingularValueId> Lowest(AttributionResult scores, int k) =>
        scores.All().Select((v, n) => (v, n)).OrderBy(p => p.v.Score).ThenBy(p => p.n).Take(k).Select(p => p.v.Id).ToArray();

    /// <summary>The k highest-scored values: for the exact scorer, those whose removal raises the loss most (the directions that help).</summary>
    public static IReadOnlyList<SingularValueId> Highest(AttributionResult scores, int k) =>
        scores.All().Select((v, n) => (v, n)).OrderByDescending(p => p.v.Score).ThenBy(p => p.n).Take(k).Select(p => p.v.Id).ToArray();

    /// <summary>|A ∩ B| / |A ∪ B| (0 for two empty sets).</summary>
    public static double Jaccard(IEnumerable<SingularValueId> a, IEnumerable<SingularValueId> b)
    {
        var x = a.ToHashSet();
        var y = b.ToHashSet();
        var union = x.Union(y).Count();
        return union == 0 ? 0 : x.Intersect(y).Count() / (double)union;
    }

    /// <summary>Spearman rank correlation with average ranks for ties (MathNet's; NaN when a side is constant).</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"{a.Count} and {b.Count} values cannot be correlated.", nameof(b));
        return Correlation.Spearman(a, b);
    }
}
