using LLMML.LanguageModels.Hooks;

namespace LLMML.Eigenpruning.Matrices;

/// <summary>
/// One singular value of one decomposed matrix: projection, head (null when the projection is decomposed whole) and
/// its index in that matrix's descending spectrum (0 = largest).
/// </summary>
public readonly record struct SingularValueId(ProjectionId Projection, int? Head, int Index)
{
    /// <summary>"L2.k.h1#5": layer, kind, head, index — compact for reports.</summary>
    public override string ToString() =>
        $"L{Projection.Layer}.{MatrixKinds.NameOf(Projection.Kind)}{(Head is { } h ? $".h{h}" : "")}#{Index}";
}
