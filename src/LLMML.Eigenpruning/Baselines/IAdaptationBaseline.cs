using LLMML.Eigenpruning.Pruning;
using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;

namespace LLMML.Eigenpruning.Baselines;

/// <summary>
/// A method eigenpruning is compared with (METHODS.md §1): it adapts a copy of the model using the same training
/// examples, and the comparison times it and scores the result on the same test examples.
/// </summary>
public interface IAdaptationBaseline
{
    /// <summary>Short name for tables and the CLI, e.g. "lora-r1".</summary>
    string Name { get; }

    /// <summary>Adapts <paramref name="model"/> (a copy the caller owns) in place.</summary>
    BaselineRun Adapt(LanguageModel model, BaselineContext context);
}

/// <summary>What a baseline may use: the training examples, the eigenpruning settings and what eigenpruning removed.</summary>
/// <param name="Train">The training examples eigenpruning scored.</param>
/// <param name="Options">Eigenpruning's settings (matrices, ablation, batch size, seed).</param>
/// <param name="Eigenprune">Eigenpruning's report on the same data (e.g. how many singular values it removed).</param>
public sealed record BaselineContext(
    IReadOnlyList<PromptAnswerTokens> Train,
    EigenpruneSettings Options,
    EigenpruneReport Eigenprune,
    IProgress<ProgressUpdate>? Progress,
    CancellationToken CancellationToken);

/// <summary>What a baseline did.</summary>
/// <param name="Details">One line: the configuration it chose or trained.</param>
/// <param name="Parameters">Numbers it set or learned (singular values removed, trainable parameters).</param>
public sealed record BaselineRun(string Details, long Parameters);
