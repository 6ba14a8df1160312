using LLMML.LanguageModels.Adapters;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Training;

namespace LLMML.Eigenpruning.Baselines;

/// <summary>
/// A rank-1 LoRA fine-tune (by default) of every attention and MLP projection on the training examples with the
/// answer-only loss, then merged into the weights: the gradient-based method eigenpruning should beat on compute.
/// </summary>
public sealed class LoraBaseline : IAdaptationBaseline
{
    /// <summary>LoRA rank.</summary>
    public int Rank { get; init; } = 1;

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Which projections get adapters (a regular expression over module names).</summary>
    public string TargetPattern { get; init; } = @"(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)$";

    /// <inheritdoc />
    public string Name => $"lora-r{Rank}";

    /// <inheritdoc />
    public BaselineRun Adapt(LanguageModel model, BaselineContext context)
    {
        var adapters = LoraAdapters.Apply(model.Model, new LoraOptions { Rank = Rank, Alpha = Rank, TargetPattern = TargetPattern, Seed = context.Options.Seed });
        var parameters = adapters.Values.Sum(a => a.lora_A.numel() + a.lora_B.numel());
        var result = AnswerFineTuning.Train(model, context.Train, Training(Steps, LearningRate, context.Options.Seed, Name), BatchSize,
            progress: context.Progress, cancellationToken: context.CancellationToken);
        context.CancellationToken.ThrowIfCancellationRequested();
        LoraAdapters.MergeAll(model.Model);
        return new BaselineRun($"rank {Rank} on {adapters.Count} projections, {result.StepsCompleted} steps × {BatchSize}, lr {LearningRate}, final loss {result.FinalLoss:F3}", parameters);
    }

    /// <summary>The schedule both trained baselines use: the short-run schedule without weight decay.</summary>
    internal static TrainingOptions Training(int steps, double learningRate, int seed, string stage)
    {
        var options = TrainingOptions.ShortRun(steps, learningRate, seed, stage);
        options.WeightDecay = 0;
        return options;
    }
}
