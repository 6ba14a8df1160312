using LLMML.Citations.Transforms;

// In Microsoft.ML's namespace so the extension shows up on mlContext.Transforms like ML.NET's own.
namespace Microsoft.ML;

/// <summary>Citation featurization on <see cref="TransformsCatalog"/>.</summary>
public static class CitationsTransformsCatalogExtensions
{
    /// <summary>
    /// Appends citation-graph features of each paper (PageRank, HITS, k-core, betweenness, clustering, citation counts,
    /// field and intent shares) as a float vector. Fit builds the graph from the rows: each row a paper id and the ids
    /// it cites.
    /// </summary>
    public static CitationFeaturizerEstimator FeaturizeCitations(this TransformsCatalog catalog, CitationFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CitationFeaturizerEstimator(options);
    }

    /// <summary>The same with column names only (all other options at their defaults).</summary>
    public static CitationFeaturizerEstimator FeaturizeCitations(this TransformsCatalog catalog, string outputColumnName = "CitationFeatures",
        string paperIdColumnName = "PaperId", string referencesColumnName = "References", string? fieldColumnName = null, string? yearColumnName = null) =>
        catalog.FeaturizeCitations(new CitationFeaturizerOptions
        {
            OutputColumnName = outputColumnName,
            PaperIdColumnName = paperIdColumnName,
            ReferencesColumnName = referencesColumnName,
            FieldColumnName = fieldColumnName,
            YearColumnName = yearColumnName,
        });
}
