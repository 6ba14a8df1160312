namespace LLMML.Citations.Features;

/// <summary>Which per-paper features to compute; each group adds the named columns.</summary>
[Flags]
public enum CitationFeatureKinds
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary><c>citations</c> (in-degree) and <c>references</c> (out-degree).</summary>
    Counts = 1,
    /// <summary><c>citations_per_year</c>: citations / (reference year − publication year + 1).</summary>
    CitationsPerYear = 2,
    /// <summary><c>pagerank</c> (networkx definition).</summary>
    PageRank = 4,
    /// <summary><c>hits_hub</c>, <c>hits_authority</c>.</summary>
    Hits = 8,
    /// <summary><c>core_number</c> (k-core, in+out degree).</summary>
    CoreNumber = 16,
    /// <summary><c>betweenness</c> (exact or sampled, networkx normalisation).</summary>
    Betweenness = 32,
    /// <summary><c>clustering</c> (directed local clustering).</summary>
    Clustering = 64,
    /// <summary><c>same_field_citation_share</c>, <c>other_field_citation_share</c> of incoming citations.</summary>
    FieldShares = 128,
    /// <summary><c>reference_share:FIELD</c> for each target field: share of a paper's references into it.</summary>
    ReferenceFieldShares = 256,
    /// <summary><c>citation_share:FIELD</c> for each field: share of a paper's incoming citations from it.</summary>
    CitingFieldShares = 512,
    /// <summary><c>influential_share</c>, <c>background_share</c>, <c>methodology_share</c>, <c>result_share</c> of annotated incoming citations.</summary>
    Intents = 1024,
    /// <summary>Every feature.</summary>
    All = Counts | CitationsPerYear | PageRank | Hits | CoreNumber | Betweenness | Clustering | FieldShares | ReferenceFieldShares | CitingFieldShares | Intents,
    /// <summary>Every feature but betweenness (the costly one).</summary>
    AllButBetweenness = All & ~Betweenness,
}
