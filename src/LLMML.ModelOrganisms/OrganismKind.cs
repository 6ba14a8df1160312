namespace LLMML.ModelOrganisms;

/// <summary>The three model organisms of METHODS.md: untrained control, pretrained, post-trained.</summary>
public enum OrganismKind
{
    /// <summary>The architecture at initialisation (the control).</summary>
    Random,

    /// <summary>Next-token training on the synthetic knowledge corpus, never in task formats.</summary>
    Base,

    /// <summary><see cref="Base"/> further tuned on instruction-style question/answer data.</summary>
    Post,
}
