using LLMML.Eigenpruning.Matrices;
using LLMML.LanguageModels.Hooks;

namespace LLMML.Eigenpruning.Attribution;

/// <summary>What one attribution pass found for one projection.</summary>
/// <param name="Projection">The projection.</param>
/// <param name="Scores">[head][index]: each singular value's reduced effect (linear) or loss change when removed (exact).</param>
/// <param name="SingularValues">[head][index], descending per head.</param>
/// <param name="MeanInput">The projection's input averaged over every real token of the clean examples (for mean ablation).</param>
/// <param name="Axis">How the projection's heads cut its weight.</param>
/// <param name="Positions">(example, position) pairs where clean and corrupted rows both hold a token (linear scorer; 0 for exact).</param>
/// <param name="UnchangedPositions">Of those, the pairs where this projection's input is identical in both rows (Δx = 0).</param>
public sealed record ProjectionAttribution(ProjectionId Projection, double[][] Scores, double[][] SingularValues, double[] MeanInput, HeadAxis Axis,
    long Positions = 0, long UnchangedPositions = 0)
{
    /// <summary>The id of the singular value at [head][index].</summary>
    public SingularValueId IdOf(int head, int index) => new(Projection, Axis == HeadAxis.None ? null : head, index);

    /// <summary>Every (id, score) of this projection, head-major.</summary>
    public IEnumerable<(SingularValueId Id, double Score, double SingularValue)> All() =>
        Scores.SelectMany((row, h) => row.Select((score, i) => (IdOf(h, i), score, SingularValues[h][i])));
}

/// <summary>Scores of every singular value of every selected projection, and what they were computed from.</summary>
/// <param name="Projections">Per projection, in selection order.</param>
/// <param name="Examples">Clean examples scored.</param>
/// <param name="Positions">(example, position) pairs the reduction ran over: real tokens in both the clean and the corrupted row.</param>
/// <param name="Reduction">The reduction used.</param>
/// <param name="Scorer">Linear estimate or exact ablation.</param>
public sealed record AttributionResult(IReadOnlyList<ProjectionAttribution> Projections, int Examples, long Positions, EffectReduction Reduction, Scorer Scorer = Scorer.Linear)
{
    /// <summary>Every singular value's id and score, in selection order (projection, head, index).</summary>
    public IEnumerable<(SingularValueId Id, double Score, double SingularValue)> All() => Projections.SelectMany(p => p.All());
}
