namespace LLMML.Citations.Synthetic;

/// <summary>Size and shape of a synthetic ACL-like citation graph; defaults mirror the paper's graph (METHODS.md §5).</summary>
public sealed class AclLikeGraphOptions
{
    /// <summary>Main-conference seed papers, 2018–2023 (paper: 9,255).</summary>
    public int Seeds { get; set; } = 9255;

    /// <summary>Total papers: seeds plus their one-hop neighbours (paper: 185,384).</summary>
    public int Nodes { get; set; } = 185_384;

    /// <summary>Approximate citation edges (paper: 786,376).</summary>
    public int Edges { get; set; } = 786_376;

    /// <summary>First and last seed year.</summary>
    public int FirstYear { get; set; } = 2018;

    /// <inheritdoc cref="FirstYear"/>
    public int LastYear { get; set; } = 2023;

    /// <summary>First year with an Interpretability and Analysis track (2020 at ACL).</summary>
    public int InterpretabilityFromYear { get; set; } = 2020;

    /// <summary>Probability that a citation stays within the citing paper's track.</summary>
    public double Homophily { get; set; } = 0.35;

    /// <summary>Share of the edges that join two seed papers (ACL papers citing earlier ACL papers).</summary>
    public double SeedToSeedShare { get; set; } = 0.10;

    /// <summary>Random seed: the same seed gives the same graph.</summary>
    public int RandomSeed { get; set; } = 2024;
}
