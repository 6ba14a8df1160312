namespace LLMML.Citations.Synthetic;

/// <summary>Settings of <see cref="ScaleGraphGenerator"/>: a citation-like graph of any size (default 10M papers, ~100M references).</summary>
public sealed class ScaleGraphOptions
{
    /// <summary>Papers.</summary>
    public int Papers { get; set; } = 10_000_000;

    /// <summary>Mean references per paper (the first papers of a field cite fewer: nothing earlier exists).</summary>
    public double MeanReferences { get; set; } = 10;

    /// <summary>Fields; their sizes follow Zipf's law (exponent 1).</summary>
    public int Fields { get; set; } = 26;

    /// <summary>First publication year.</summary>
    public int FirstYear { get; set; } = 1980;

    /// <summary>Last publication year; papers per year grow exponentially (as science did, ~4% a year).</summary>
    public int LastYear { get; set; } = 2024;

    /// <summary>Share of references within the citing paper's field.</summary>
    public double Homophily { get; set; } = 0.7;

    /// <summary>Share of references to a uniformly random earlier paper; the rest attach preferentially (by citations so far).</summary>
    public double UniformShare { get; set; } = 0.2;

    /// <summary>Random seed: the same options give the same graph.</summary>
    public int RandomSeed { get; set; } = 2026;
}
