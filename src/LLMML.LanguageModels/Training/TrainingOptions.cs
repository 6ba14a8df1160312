namespace LLMML.LanguageModels.Training;

/// <summary>Settings of one <see cref="TrainingLoop"/> run: optimiser, schedule, clipping, accumulation, seeds, checkpoints.</summary>
public sealed class TrainingOptions
{
    /// <summary>
    /// The schedule of a short fine-tune (adapters, baselines, complexity programs): <paramref name="steps"/> steps,
    /// 10% of them warm-up (at least one), cosine decay to a tenth of <paramref name="learningRate"/>, progress every 2%.
    /// Everything else keeps its default.
    /// </summary>
    public static TrainingOptions ShortRun(int steps, double learningRate, long seed, string stage) => new()
    {
        LearningRate = learningRate,
        MinLearningRate = learningRate / 10,
        WarmupSteps = Math.Max(1, steps / 10),
        MaxSteps = steps,
        Seed = seed,
        Stage = stage,
        ProgressEvery = Math.Max(1, steps / 50),
    };

    /// <summary>Peak learning rate (reached at the end of warm-up). Default 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Learning rate the cosine decay ends at. Default 0.</summary>
    public double MinLearningRate { get; set; }

    /// <summary>AdamW decoupled weight decay. Default 0.01.</summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>
    /// Apply weight decay only to parameters with two or more dimensions (matrices, embeddings), not to biases and
    /// norm gains, as GPT-style training does. Default true.
    /// </summary>
    public bool DecayMatricesOnly { get; set; } = true;

    /// <summary>AdamW β1. Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>AdamW β2. Default 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>AdamW ε. Default 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>Optimizer steps of linear warm-up from LearningRate/WarmupSteps to LearningRate. Default 0.</summary>
    public int WarmupSteps { get; set; }

    /// <summary>Total optimizer steps of the run (warm-up included); the cosine decay spans the steps after warm-up. Default 1000.</summary>
    public int MaxSteps { get; set; } = 1000;

    /// <summary>Clip the global L2 norm of the gradients of the trained parameters to this value; null or 0 disables clipping. Default 1.</summary>
    public double? MaxGradientNorm { get; set; } = 1.0;

    /// <summary>Micro-batches whose gradients are averaged into one optimizer step. Default 1.</summary>
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>
    /// Seed of the run. Before each micro-batch the torch generator is reseeded from (Seed, micro-batch index), and the
    /// same value is handed to the loss callback as <see cref="TrainingStep.Seed"/>, so dropout and data sampling depend
    /// only on the position in the run: a resumed run repeats an uninterrupted one exactly. Default 42.
    /// </summary>
    public long Seed { get; set; } = 42;

    /// <summary>Directory of the training checkpoint (<see cref="TrainingCheckpoint.FileName"/>); null disables checkpoints.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Write a checkpoint every this many optimizer steps (0: only at the end and on cancellation). Default 0.</summary>
    public int CheckpointEvery { get; set; }

    /// <summary>Continue from the checkpoint in <see cref="CheckpointDirectory"/> when there is one. Default true.</summary>
    public bool ResumeFromCheckpoint { get; set; } = true;

    /// <summary>Write a checkpoint when the run is cancelled. Default true.</summary>
    public bool CheckpointOnCancel { get; set; } = true;

    /// <summary>Report progress every this many optimizer steps. Default 1.</summary>
    public int ProgressEvery { get; set; } = 1;

    /// <summary>
    /// Per-parameter multiplier of the learning rate, by parameter name (e.g. a fresh adapter learning 100× faster
    /// than the pretrained model it reads, as tracr-injection does); the schedule scales every group alike. Null: 1
    /// for every parameter. Not part of a checkpoint: a resumed run must pass the same function.
    /// </summary>
    public Func<string, double>? LearningRateScale { get; set; }

    /// <summary>The stage name in progress reports. Default "train".</summary>
    public string Stage { get; set; } = "train";

    /// <summary>Checks every setting; throws naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        static void Require(bool ok, string name, object? value, string rule)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(name, value, $"{nameof(TrainingOptions)}.{name} {rule}.");
        }

        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "must be a positive number");
        Require(double.IsFinite(MinLearningRate) && MinLearningRate >= 0 && MinLearningRate <= LearningRate, nameof(MinLearningRate), MinLearningRate, "must lie in [0, LearningRate]");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be 0 or more");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "must lie in [0, 1)");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "must lie in [0, 1)");
        Require(double.IsFinite(Epsilon) && Epsilon > 0, nameof(Epsilon), Epsilon, "must be positive");
        Require(MaxSteps > 0, nameof(MaxSteps), MaxSteps, "must be positive");
        Require(WarmupSteps >= 0 && WarmupSteps <= MaxSteps, nameof(WarmupSteps), WarmupSteps, "must lie in [0, MaxSteps]");
        Require(MaxGradientNorm is null || (double.IsFinite(MaxGradientNorm.Value) && MaxGradientNorm >= 0), nameof(MaxGradientNorm), MaxGradientNorm, "must be null or a finite number ≥ 0");
        Require(GradientAccumulationSteps >= 1, nameof(GradientAccumulationSteps), GradientAccumulationSteps, "must be 1 or more");
        Require(CheckpointEvery >= 0, nameof(CheckpointEvery), CheckpointEvery, "must be 0 or more");
        Require(ProgressEvery >= 1, nameof(ProgressEvery), ProgressEvery, "must be 1 or more");
    }
}
