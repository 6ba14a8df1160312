namespace LLMML.Citations.Features;

/// <summary>What to compute per paper, and how.</summary>
public sealed class CitationFeatureOptions
{
    /// <summary>Feature groups (default: all).</summary>
    public CitationFeatureKinds Features { get; set; } = CitationFeatureKinds.All;

    /// <summary>PageRank settings.</summary>
    public PageRankOptions PageRank { get; set; } = new();

    /// <summary>HITS settings.</summary>
    public HitsOptions Hits { get; set; } = new();

    /// <summary>
    /// Betweenness settings. When <see cref="BetweennessOptions.Samples"/> is null, graphs up to
    /// <see cref="ExactBetweennessLimit"/> papers get exact betweenness and larger ones <see cref="DefaultBetweennessSamples"/> sources.
    /// </summary>
    public BetweennessOptions Betweenness { get; set; } = new();

    /// <summary>Largest graph for which betweenness is exact by default.</summary>
    public int ExactBetweennessLimit { get; set; } = 5000;

    /// <summary>Sampled sources on larger graphs (the paper used about 500).</summary>
    public int DefaultBetweennessSamples { get; set; } = 500;

    /// <summary>Fields whose reference share is computed (null: every field of the graph).</summary>
    public IReadOnlyList<string>? TargetFields { get; set; }

    /// <summary>Year "now" for citations per year (null: the latest publication year in the graph).</summary>
    public int? ReferenceYear { get; set; }
}
