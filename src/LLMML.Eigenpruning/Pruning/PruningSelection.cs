using LLMML.Eigenpruning.Attribution;

namespace LLMML.Eigenpruning.Pruning;

/// <summary>
/// Which singular values to remove: sort all scores ascending and take a fraction of them, a count, or every score
/// below a threshold. The lowest scores are taken whether they are negative or not: under the max reduction they are
/// usually ≥ 0 (see <see cref="EffectReduction"/>), i.e. the least used directions rather than harmful ones.
/// </summary>
public static class PruningSelection
{
    /// <summary>The default share of singular values removed (the paper; an earlier version used 0.3).</summary>
    public const double DefaultFraction = 0.2;

    /// <summary>Chooses from <paramref name="attribution"/>; set at most one of the three (none = <see cref="DefaultFraction"/>).</summary>
    public static IReadOnlyList<PrunedSingularValue> Choose(AttributionResult attribution, double? fraction = null, int? count = null, double? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        Validate(fraction, count, threshold);
        var all = attribution.Projections
            .SelectMany(p => p.Scores.SelectMany((row, h) => row.Select((score, i) => new PrunedSingularValue(p.IdOf(h, i), p.SingularValues[h][i], score))))
            .ToList();
        foreach (var candidate in all)
            if (!double.IsFinite(candidate.Score))
                throw new InvalidOperationException(
                    $"The score of singular value {candidate.Id} is {candidate.Score}: the model's loss or gradients are not finite on these examples, so nothing can be ranked.");
        // Stable order: score, then position in the selection (ties broken the same way every run).
        var ranked = all.Select((c, n) => (c, n)).OrderBy(p => p.c.Score).ThenBy(p => p.n).Select(p => p.c).ToList();
        if (threshold is { } t) return ranked.TakeWhile(c => c.Score < t).ToArray();
        var k = count ?? (int)Math.Floor((fraction ?? DefaultFraction) * ranked.Count);
        if (k > ranked.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Cannot prune {k} singular values: the selected matrices have {ranked.Count}.");
        return ranked.Take(k).ToArray();
    }

    /// <summary>Throws naming the bad setting: more than one set, a fraction outside (0, 1), a negative count, a non-finite threshold.</summary>
    public static void Validate(double? fraction, int? count, double? threshold)
    {
        if (new object?[] { fraction, count, threshold }.Count(v => v is not null) > 1)
            throw new ArgumentException($"Set only one of Fraction ({fraction}), Count ({count}) and Threshold ({threshold}).");
        if (fraction is { } f && !(f > 0 && f < 1))
            throw new ArgumentOutOfRangeException("Fraction", f, "Fraction must lie strictly between 0 and 1 (0.2 prunes the lowest-scored 20%).");
        if (count is < 0)
            throw new ArgumentOutOfRangeException("Count", count, "Count must be 0 or more.");
        if (threshold is { } th && !double.IsFinite(th))
            throw new ArgumentOutOfRangeException("Threshold", th, "Threshold must be a finite number.");
    }
}
