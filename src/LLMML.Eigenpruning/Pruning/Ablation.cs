namespace LLMML.Eigenpruning.Pruning;

/// <summary>What replaces a removed singular direction's contribution.</summary>
public enum Ablation
{
    /// <summary>
    /// Its mean over all training tokens, folded into the projection's bias: b' = b + mean(x)·W_removed (the paper).
    /// Needs a bias on the projection.
    /// </summary>
    Mean,

    /// <summary>Nothing: s_i = 0 and the bias is left alone.</summary>
    Zero,
}
