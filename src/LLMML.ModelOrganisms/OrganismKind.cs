namespace LLMML.ModelOrganisms;

/// <summary>
/// The model organisms: the three of METHODS.md (untrained control, pretrained, post-trained) and the competing-behaviour
/// organism for eigenpruning.
/// </summary>
public enum OrganismKind
{
    /// <summary>The architecture at initialisation (the control).</summary>
    Random,

    /// <summary>Next-token training on the synthetic knowledge corpus, never in task formats.</summary>
    Base,

    /// <summary><see cref="Base"/> further tuned on instruction-style question/answer data.</summary>
    Post,

    /// <summary>
    /// Trained on cued products and sums and on uncued "i x j = ?" lines answered by the sum with a set probability
    /// (<see cref="OrganismRecipe.SumProbability"/>): knowledge the uncued prompt does not surface.
    /// </summary>
    Competing,
}
