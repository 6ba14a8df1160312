using LLMML.LanguageModels.Training;

namespace LLMML.Complexity.Strategies;

/// <summary>The training settings the training strategies share, from the budget and the context.</summary>
internal static class StrategyTraining
{
    public static TrainingOptions Options(StrategyContext context, string strategy, int steps, double learningRate) =>
        TrainingOptions.ShortRun(steps, learningRate, context.Seed, context.Stage(strategy));

    /// <summary>The caller's Ctrl+C ends the whole evaluation; a spent time budget only ends this run.</summary>
    public static void ThrowIfCallerCancelled(StrategyContext context) => context.CancellationToken.ThrowIfCancellationRequested();
}
