namespace LLMML.Eigenpruning.Attribution;

/// <summary>How the per-example, per-position effects of a singular value become its one score (linear scorer only).</summary>
/// <remarks>
/// The maximum is ≥ 0 by construction whenever some scored position has Δx = 0 (a prefix shared by the clean and
/// corrupted prompt, or the same character at the same position for layer-0 q/k/v), and a cycle of pairings sums Δx to
/// zero, so a direction whose gradient keeps one sign has some positive effect. A non-negative maximum therefore says
/// nothing about whether a direction is harmful; the mean and a quantile are the alternatives.
/// </remarks>
public enum EffectReduction
{
    /// <summary>The maximum over all training examples and positions (the paper). Selection takes the lowest maxima, negative or not.</summary>
    Max,

    /// <summary>The mean over all training examples and positions (not in the paper): the first-order estimate of the average loss change, less outlier-driven.</summary>
    Mean,

    /// <summary>
    /// A quantile (<see cref="EigenpruneSettings.Quantile"/>, default 0.9) over examples and positions: the max's "rarely
    /// helps" reading without its single-outlier sensitivity. Keeps every effect in memory (float32).
    /// </summary>
    Quantile,
}
