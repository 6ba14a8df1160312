namespace LLMML.LanguageModels.Hooks;

/// <summary>One projection of a model: the matrix of <paramref name="Kind"/> in block <paramref name="Layer"/> (0-based), all heads.</summary>
public readonly record struct ProjectionId(int Layer, WeightKind Kind)
{
    /// <inheritdoc />
    public override string ToString() => $"layer {Layer} {Kind}";
}
