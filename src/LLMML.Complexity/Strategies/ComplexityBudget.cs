namespace LLMML.Complexity.Strategies;

/// <summary>What one strategy run may spend. Training strategies stop at whichever limit comes first.</summary>
public sealed class ComplexityBudget
{
    /// <summary>Optimizer steps of each training run (LoRA, full fine-tune; the prequential run's minimum). Default 200.</summary>
    public int TrainingSteps { get; set; } = 200;

    /// <summary>Examples per training step. Default 16.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Largest N of "train on the first N examples" (N = 8, 16, … doubling up to this). Default 1024.</summary>
    public int MaxTrainingExamples { get; set; } = 1024;

    /// <summary>
    /// Most epochs of a prequential run (the paper's: 3): it trains E = max(1, min(MaxEpochs, ⌊TrainingSteps / first
    /// epoch⌋)) epochs, and the model after each is a program. Default 3.
    /// </summary>
    public int MaxEpochs { get; set; } = 3;

    /// <summary>Most in-context examples tried (k = 0, 1, 2, 4, … up to this, while they fit the context). Default 64.</summary>
    public int MaxInContextExamples { get; set; } = 64;

    /// <summary>
    /// Wall-clock limit of one training run: training stops there and the program is what was trained (its code states
    /// the steps done). A prequential run cut before its first epoch ends is dropped with a note. Default 10 minutes.
    /// </summary>
    public TimeSpan TimeLimitPerRun { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws naming the first bad setting.</summary>
    public void Validate()
    {
        if (TrainingSteps < 1) throw new ArgumentOutOfRangeException(nameof(TrainingSteps), "TrainingSteps must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), "BatchSize must be at least 1.");
        if (MaxTrainingExamples < 1) throw new ArgumentOutOfRangeException(nameof(MaxTrainingExamples), "MaxTrainingExamples must be at least 1.");
        if (MaxEpochs < 1) throw new ArgumentOutOfRangeException(nameof(MaxEpochs), "MaxEpochs must be at least 1.");
        if (MaxInContextExamples < 0) throw new ArgumentOutOfRangeException(nameof(MaxInContextExamples), "MaxInContextExamples must not be negative.");
        if (TimeLimitPerRun <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeLimitPerRun), "TimeLimitPerRun must be positive.");
    }
}
