namespace LLMML.Citations.Analysis;

/// <summary>Which papers the field analysis describes.</summary>
public sealed class CitationAnalysisOptions
{
    /// <summary>
    /// Papers to analyse (e.g. the seed papers of a one-hop crawl); null analyses every paper with a known field and year.
    /// Citations are always counted from the whole graph.
    /// </summary>
    public IReadOnlyList<bool>? Include { get; set; }

    /// <summary>The feature whose distribution <see cref="CitationAnalysis.CentralityDistribution"/> summarises.</summary>
    public string CentralityFeature { get; set; } = "betweenness";
}
