namespace LLMML.LanguageModels.Training;

/// <summary>What a <see cref="TrainingLoop"/> run did.</summary>
/// <param name="StartStep">The step the run started at (non-zero when resumed from a checkpoint).</param>
/// <param name="StepsCompleted">Optimizer steps done in total, counting those before a resume.</param>
/// <param name="Cancelled">The run stopped early because the CancellationToken was cancelled.</param>
/// <param name="Losses">Mean micro-batch loss of each step run in this call, in order.</param>
/// <param name="LearningRates">Learning rate used at each step run in this call.</param>
/// <param name="GradientNorms">Global gradient L2 norm before clipping at each step run in this call (NaN when clipping is off).</param>
/// <param name="CheckpointPath">The last checkpoint written, or null.</param>
public sealed record TrainingResult(
    long StartStep,
    long StepsCompleted,
    bool Cancelled,
    IReadOnlyList<double> Losses,
    IReadOnlyList<double> LearningRates,
    IReadOnlyList<double> GradientNorms,
    string? CheckpointPath)
{
    /// <summary>Loss of the last step run in this call, or null when none ran.</summary>
    public double? FinalLoss => Losses.Count > 0 ? Losses[^1] : null;
}
