using LLMML.LanguageModels.Training;

namespace LLMML.Complexity.Strategies;

/// <summary>The training settings the training strategies share, from the budget and the context.</summary>
internal static class StrategyTraining
{
    public static TrainingOptions Options(StrategyContext context, string strategy, int steps, double learningRate) => new()
    {
        LearningRate = learningRate,
        MinLearningRate = learningRate / 10,
        WarmupSteps = Math.Max(1, steps / 10),
        MaxSteps = steps,
        Seed = context.Seed,
        Stage = context.Stage(strategy),
        ProgressEvery = Math.Max(1, steps / 50),
        CheckpointDirectory = null,
    };

    /// <summary>The caller's Ctrl+C ends the whole evaluation; a spent time budget only ends this run.</summary>
    public static void ThrowIfCallerCancelled(StrategyContext context) => context.CancellationToken.ThrowIfCancellationRequested();
}
