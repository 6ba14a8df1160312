namespace LLMML.Eigenpruning.Attribution;

/// <summary>How the per-example, per-position effects of a singular value become its one score.</summary>
public enum EffectReduction
{
    /// <summary>The maximum over all training examples and positions (the paper): negative only if removing it never hurts.</summary>
    Max,

    /// <summary>The mean over all training examples and positions (not in the paper; a less outlier-driven score).</summary>
    Mean,
}
