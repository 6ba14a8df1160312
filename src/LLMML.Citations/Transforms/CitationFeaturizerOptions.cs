using System.Text.Json.Serialization;
using LLMML.Citations.Features;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Transforms;

/// <summary>Options of <see cref="CitationFeaturizerEstimator"/> (<c>mlContext.Transforms.FeaturizeCitations</c>).</summary>
public sealed class CitationFeaturizerOptions
{
    /// <summary>Float vector column appended by the transformer (slot names = feature names).</summary>
    public string OutputColumnName { get; set; } = "CitationFeatures";

    /// <summary>Text column with each paper's id.</summary>
    public string PaperIdColumnName { get; set; } = "PaperId";

    /// <summary>
    /// The ids of the papers each paper cites (citing → cited): a vector of text, or text with ids separated by
    /// whitespace, commas or semicolons.
    /// </summary>
    public string ReferencesColumnName { get; set; } = "References";

    /// <summary>Optional numeric column with the publication year (read by Fit only).</summary>
    public string? YearColumnName { get; set; }

    /// <summary>
    /// Optional text column with each paper's field/class (read by <b>Fit only</b>; empty = unknown). A paper's own
    /// field is never used for its own vector except through "same field" shares, so leave it empty for papers to predict.
    /// </summary>
    public string? FieldColumnName { get; set; }

    /// <summary>Feature groups (default: all but betweenness, which is costly and rarely helps a classifier).</summary>
    public CitationFeatureKinds Features { get; set; } = CitationFeatureKinds.AllButBetweenness;

    /// <summary>Betweenness sources to sample (null: exact up to 5,000 papers, else 500).</summary>
    public int? BetweennessSamples { get; set; }

    /// <summary>Seed for the sampled betweenness sources.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Fields whose reference share is a feature (null: every field seen in Fit).</summary>
    public IReadOnlyList<string>? TargetFields { get; set; }

    /// <summary>Year "now" for citations per year (null: the latest year seen in Fit).</summary>
    public int? ReferenceYear { get; set; }

    /// <summary>PageRank damping factor.</summary>
    public double PageRankAlpha { get; set; } = 0.85;

    /// <summary>Receives progress while Fit computes the features.</summary>
    [JsonIgnore]
    public IProgress<ProgressUpdate>? Progress { get; set; }

    internal CitationFeatureOptions ToFeatureOptions() => new()
    {
        Features = Features,
        PageRank = new PageRankOptions { Alpha = PageRankAlpha },
        Betweenness = new BetweennessOptions { Samples = BetweennessSamples, Seed = Seed },
        TargetFields = TargetFields,
        ReferenceYear = ReferenceYear,
    };
}
