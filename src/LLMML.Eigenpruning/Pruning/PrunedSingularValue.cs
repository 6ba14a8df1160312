using LLMML.Eigenpruning.Matrices;

namespace LLMML.Eigenpruning.Pruning;

/// <summary>A singular value chosen for removal, with its size and its attribution score.</summary>
public sealed record PrunedSingularValue(SingularValueId Id, double SingularValue, double Score);
