using System.Text.Json;
using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.Foundation.Persistence;
using Microsoft.Data.Analysis;

namespace LLMML.Eigenpruning.Pruning;

/// <summary>One decomposed matrix (a head of a projection, or a whole projection) in an <see cref="EigenpruneReport"/>.</summary>
/// <param name="Layer">Block index.</param>
/// <param name="Kind">Short kind name (q, k, v, o, mlp-in, mlp-gate, mlp-out).</param>
/// <param name="Head">Head index, or null for a whole matrix.</param>
/// <param name="Rank">Singular values (min of the matrix's two sides).</param>
/// <param name="Pruned">How many were removed.</param>
/// <param name="ScoreMin">Lowest score.</param>
/// <param name="ScoreMedian">Median score.</param>
/// <param name="ScoreMax">Highest score.</param>
/// <param name="NegativeScores">Scores below zero.</param>
/// <param name="PrunedEnergy">Σ s² of the removed values over Σ s² of the matrix.</param>
public sealed record MatrixReport(int Layer, string Kind, int? Head, int Rank, int Pruned, double ScoreMin, double ScoreMedian, double ScoreMax, int NegativeScores, double PrunedEnergy);

/// <summary>
/// The scores of one projection (layer × kind, all heads) at a glance: how many are exactly 0, negative, positive, and
/// how many of the scored (example, position) pairs had Δx = 0 there. With the max reduction every Δx = 0 pair pins
/// the score at ≥ 0 (its effect is exactly 0), so many zero or no negative scores say the reduction, not the model,
/// decided the ranking.
/// </summary>
/// <param name="Layer">Block index.</param>
/// <param name="Kind">Short kind name.</param>
/// <param name="Values">Singular values scored (all heads).</param>
/// <param name="ZeroScores">Scores exactly 0.</param>
/// <param name="NegativeScores">Scores below 0.</param>
/// <param name="PositiveScores">Scores above 0.</param>
/// <param name="Positions">(example, position) pairs scored (linear scorer; 0 for the exact scorer).</param>
/// <param name="UnchangedPositions">Of those, pairs where this projection's input was identical in the clean and corrupted row.</param>
public sealed record ProjectionDiagnostics(int Layer, string Kind, int Values, int ZeroScores, int NegativeScores, int PositiveScores, long Positions, long UnchangedPositions)
{
    /// <summary>Share of scored pairs with Δx = 0 (0 when none were scored).</summary>
    public double UnchangedShare => Positions > 0 ? UnchangedPositions / (double)Positions : 0;
}

/// <summary>One count tried by validated selection.</summary>
/// <param name="Count">Singular values pruned.</param>
/// <param name="Accuracy">Held-out accuracy after pruning them.</param>
/// <param name="MeanLogLikelihood">Held-out mean answer log-likelihood.</param>
public sealed record ValidationPoint(int Count, double Accuracy, double MeanLogLikelihood);

/// <summary>
/// What an eigenpruning fit did: every decomposed matrix with its rank, how many of its singular values were removed and
/// how its scores were distributed, the removed values themselves, and how long it took. Also a DataFrame and JSON.
/// </summary>
public sealed record EigenpruneReport(
    IReadOnlyList<MatrixReport> Matrices,
    IReadOnlyList<PrunedSingularValue> Pruned,
    int Examples,
    long Positions,
    EffectReduction Reduction,
    Ablation Ablation,
    double ScoringSeconds,
    double Seconds,
    IReadOnlyList<ProjectionDiagnostics>? Diagnostics = null,
    string? Scoring = null,
    IReadOnlyList<ValidationPoint>? Validation = null)
{
    /// <summary>Singular values that were candidates for removal.</summary>
    public int Candidates => Matrices.Sum(m => m.Rank);

    /// <summary>Builds the report from an attribution pass and the chosen values.</summary>
    public static EigenpruneReport Create(AttributionResult attribution, IReadOnlyList<PrunedSingularValue> pruned, Ablation ablation, double scoringSeconds, double seconds)
    {
        var removed = pruned.Select(p => p.Id).ToHashSet();
        var matrices = new List<MatrixReport>();
        foreach (var p in attribution.Projections)
            for (var h = 0; h < p.Scores.Length; h++)
            {
                var scores = p.Scores[h];
                var sorted = scores.Order().ToArray();
                var s = p.SingularValues[h];
                var isPruned = Enumerable.Range(0, scores.Length).Select(i => removed.Contains(p.IdOf(h, i))).ToArray();
                var energy = s.Sum(v => v * v);
                var prunedEnergy = s.Where((_, i) => isPruned[i]).Sum(v => v * v);
                var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
                matrices.Add(new MatrixReport(p.Projection.Layer, MatrixKinds.NameOf(p.Projection.Kind), p.IdOf(h, 0).Head, scores.Length,
                    isPruned.Count(x => x), sorted[0], median, sorted[^1], scores.Count(v => v < 0), energy > 0 ? prunedEnergy / energy : 0));
            }
        return new EigenpruneReport(matrices, pruned, attribution.Examples, attribution.Positions, attribution.Reduction, ablation, scoringSeconds, seconds,
            Diagnose(attribution), attribution.Scorer == Scorer.Exact ? "exact" : "linear");
    }

    /// <summary>Per projection: zero / negative / positive scores and the Δx = 0 share of scored positions.</summary>
    public static IReadOnlyList<ProjectionDiagnostics> Diagnose(AttributionResult attribution)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        return attribution.Projections.Select(p =>
        {
            var scores = p.Scores.SelectMany(r => r).ToArray();
            return new ProjectionDiagnostics(p.Projection.Layer, MatrixKinds.NameOf(p.Projection.Kind), scores.Length,
                scores.Count(v => v == 0), scores.Count(v => v < 0), scores.Count(v => v > 0), p.Positions, p.UnchangedPositions);
        }).ToArray();
    }

    /// <summary>One row per decomposed matrix.</summary>
    public DataFrame ToDataFrame() => new(
        new Int32DataFrameColumn("layer", Matrices.Select(m => m.Layer)),
        new StringDataFrameColumn("kind", Matrices.Select(m => m.Kind)),
        new Int32DataFrameColumn("head", Matrices.Select(m => m.Head)),
        new Int32DataFrameColumn("rank", Matrices.Select(m => m.Rank)),
        new Int32DataFrameColumn("pruned", Matrices.Select(m => m.Pruned)),
        new DoubleDataFrameColumn("scoreMin", Matrices.Select(m => m.ScoreMin)),
        new DoubleDataFrameColumn("scoreMedian", Matrices.Select(m => m.ScoreMedian)),
        new DoubleDataFrameColumn("scoreMax", Matrices.Select(m => m.ScoreMax)),
        new Int32DataFrameColumn("negativeScores", Matrices.Select(m => m.NegativeScores)),
        new DoubleDataFrameColumn("prunedEnergy", Matrices.Select(m => m.PrunedEnergy)));

    /// <summary>The whole report as JSON (camelCase, enums as names).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ModelArchive.JsonOptions);

    /// <summary>Reads <see cref="ToJson"/>'s output.</summary>
    public static EigenpruneReport FromJson(string json) =>
        JsonSerializer.Deserialize<EigenpruneReport>(json, ModelArchive.JsonOptions) ?? throw new InvalidDataException("The eigenprune report is empty.");
}
