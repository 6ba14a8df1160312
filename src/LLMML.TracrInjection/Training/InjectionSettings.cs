namespace LLMML.TracrInjection.Training;

/// <summary>Where detach-and-roll rewrites the residual stream, L being the number of compiled layers.</summary>
public enum RollPosition
{
    /// <summary>The authors' code: on the output of LM block L (0-based), i.e. h_{L+1}, one block after the last aligned state. Needs L + 1 blocks.</summary>
    AfterLastAlignedState,

    /// <summary>The paper's text ("at block L"): on h_L, the last aligned state itself.</summary>
    AtLastAlignedState,
}

/// <summary>Settings of one injection run; defaults are the authors' (GPT-2-large, AdamW, no schedule, fp32).</summary>
public sealed class InjectionSettings
{
    /// <summary>Weight λ of the alignment loss. Default 1.</summary>
    public double Lambda { get; set; } = 1;

    /// <summary>The baseline: the same training without the alignment loss and without detach-and-roll.</summary>
    public bool Baseline { get; set; }

    /// <summary>Apply detach-and-roll in the training forward on task data (never in the KL pass or at evaluation). Default true.</summary>
    public bool DetachAndRoll { get; set; } = true;

    /// <summary>Where detach-and-roll acts. Default: the authors' code.</summary>
    public RollPosition RollAt { get; set; } = RollPosition.AfterLastAlignedState;

    /// <summary>AdamW learning rate of the LM's weights. Default 1e-6.</summary>
    public double LmLearningRate { get; set; } = 1e-6;

    /// <summary>AdamW learning rate of the adapter. Default 1e-4.</summary>
    public double AdapterLearningRate { get; set; } = 1e-4;

    /// <summary>AdamW decoupled weight decay (matrices only). Default 0.01.</summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Optimizer steps. Default 20,000.</summary>
    public int Steps { get; set; } = 20_000;

    /// <summary>Task rows per step (detach-and-roll needs ≥ 2). Default 2.</summary>
    public int TaskBatchSize { get; set; } = 2;

    /// <summary>Natural-text rows per step for the KL term. Default 2.</summary>
    public int NaturalBatchSize { get; set; } = 2;

    /// <summary>Tokens of each natural text (the authors take the first 30 tokens of web documents). Default 30.</summary>
    public int NaturalTokens { get; set; } = 30;

    /// <summary>Clip the global gradient norm to this; null = no clipping (the authors clip nothing). Default null.</summary>
    public double? MaxGradientNorm { get; set; }

    /// <summary>Seed of batch sampling. Default 42.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Training checkpoint directory (resume from it when it holds one); null = none.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Checkpoint every this many steps (0 = at the end and on cancellation only).</summary>
    public int CheckpointEvery { get; set; }

    /// <summary>Progress every this many steps. Default 10.</summary>
    public int ProgressEvery { get; set; } = 10;

    /// <summary>Checks every setting; throws naming the first bad one.</summary>
    public void Validate()
    {
        static void Require(bool ok, string name, object? value, string rule)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{nameof(InjectionSettings)}.{name} {rule}.");
        }
        Require(double.IsFinite(Lambda) && Lambda >= 0, nameof(Lambda), Lambda, "must be a finite number ≥ 0");
        Require(double.IsFinite(LmLearningRate) && LmLearningRate > 0, nameof(LmLearningRate), LmLearningRate, "must be positive");
        Require(double.IsFinite(AdapterLearningRate) && AdapterLearningRate > 0, nameof(AdapterLearningRate), AdapterLearningRate, "must be positive");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be ≥ 0");
        Require(Steps > 0, nameof(Steps), Steps, "must be positive");
        Require(TaskBatchSize >= 1, nameof(TaskBatchSize), TaskBatchSize, "must be at least 1");
        Require(!(DetachAndRoll && !Baseline) || TaskBatchSize >= 2, nameof(TaskBatchSize), TaskBatchSize,
            "must be at least 2 with detach-and-roll (each row takes another row's complement); turn DetachAndRoll off for batch 1");
        Require(NaturalBatchSize >= 0, nameof(NaturalBatchSize), NaturalBatchSize, "must be 0 (no KL term) or more");
        Require(NaturalTokens >= 2, nameof(NaturalTokens), NaturalTokens, "must be at least 2");
        Require(MaxGradientNorm is null || (double.IsFinite(MaxGradientNorm.Value) && MaxGradientNorm > 0), nameof(MaxGradientNorm), MaxGradientNorm, "must be null or positive");
        Require(CheckpointEvery >= 0, nameof(CheckpointEvery), CheckpointEvery, "must be ≥ 0");
        Require(ProgressEvery >= 1, nameof(ProgressEvery), ProgressEvery, "must be at least 1");
    }

    public InjectionSettings Clone() => (InjectionSettings)MemberwiseClone();
}
