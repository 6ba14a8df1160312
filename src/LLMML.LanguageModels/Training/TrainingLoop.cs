using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Training;

/// <summary>
/// The one training loop of the library: AdamW on the parameters that require gradients, linear warm-up + cosine
/// decay, global-norm gradient clipping, gradient accumulation, seeded micro-batches, atomic checkpoints with exact
/// resume, progress and cancellation. Works for any <see cref="nn.Module"/>; the caller supplies the loss.
/// </summary>
/// <remarks>
/// Each micro-batch's loss is divided by the accumulation count before backward, so k micro-batches of b examples
/// with mean losses give the gradient of one batch of k·b. The model should be on its device before the call; the
/// callback must return a scalar loss on that device. Freeze a parameter with <c>requires_grad = false</c> before the
/// call (LoRA): it is then neither optimised nor decayed.
/// </remarks>
public sealed class TrainingLoop
{
    /// <summary>
    /// Trains <paramref name="model"/> for <see cref="TrainingOptions.MaxSteps"/> optimizer steps (resuming from the
    /// checkpoint when there is one).
    /// </summary>
    /// <param name="model">The module to train.</param>
    /// <param name="microBatchLoss">Returns the scalar loss of one micro-batch; called GradientAccumulationSteps times per step.
    /// Tensors it creates are disposed after the step.</param>
    /// <param name="options">The run's settings.</param>
    /// <param name="progress">Receives (stage, step, MaxSteps, {loss, lr, grad_norm}) after steps.</param>
    /// <param name="cancellationToken">When cancelled, the loop finishes the current step, writes a checkpoint
    /// (if a directory is set and <see cref="TrainingOptions.CheckpointOnCancel"/>) and returns with
    /// <see cref="TrainingResult.Cancelled"/> set; it does not throw.</param>
    /// <exception cref="InvalidOperationException">No parameter requires gradients; a loss is not finite or does not depend on trainable parameters.</exception>
    /// <exception cref="ArgumentException">A loss is not a scalar.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is corrupt or belongs to another model or seed.</exception>
    public TrainingResult Run(
        nn.Module model,
        Func<TrainingStep, Tensor> microBatchLoss,
        TrainingOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(microBatchLoss);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (trainable.Count == 0)
            throw new InvalidOperationException("The model has no parameter with requires_grad = true; there is nothing to train.");
        var trainableNames = trainable.Select(p => p.name).ToList();
        var parameters = trainable.Select(p => p.parameter).ToList();

        var (optimizer, groupScales) = CreateOptimizer(trainable, options);
        using var _ = optimizer;
        var checkpointPath = options.CheckpointDirectory is null ? null : Path.Combine(options.CheckpointDirectory, TrainingCheckpoint.FileName);

        long startStep = 0;
        if (checkpointPath is not null && options.ResumeFromCheckpoint && File.Exists(checkpointPath))
        {
            var info = TrainingCheckpoint.Load(checkpointPath, model, optimizer, trainableNames);
            if (info.Seed != options.Seed)
                throw new InvalidDataException(
                    $"Training checkpoint '{checkpointPath}' was written with seed {info.Seed} but the options say {options.Seed}; " +
                    "resuming would not repeat the original run. Use the same seed, another CheckpointDirectory, or ResumeFromCheckpoint = false.");
            startStep = info.Step;
        }

        using var mode = ModuleMode.Training(model);
        var losses = new List<double>();
        var rates = new List<double>();
        var norms = new List<double>();
        string? lastCheckpoint = null;
        var step = startStep;
        var cancelled = false;
        try
        {
            for (; step < options.MaxSteps; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }

                var (loss, rate, norm) = RunStep(model, microBatchLoss, options, optimizer, groupScales, parameters, step);
                losses.Add(loss);
                rates.Add(rate);
                norms.Add(norm);

                var done = step + 1;
                if (checkpointPath is not null && options.CheckpointEvery > 0 && done % options.CheckpointEvery == 0 && done < options.MaxSteps)
                    lastCheckpoint = WriteCheckpoint(checkpointPath, model, optimizer, options, trainableNames, done);
                if (progress is not null && (done % options.ProgressEvery == 0 || done == options.MaxSteps))
                    progress.Report(new ProgressUpdate(options.Stage, done, options.MaxSteps, Metrics(loss, rate, norm)));
            }

            if (checkpointPath is not null && (!cancelled || options.CheckpointOnCancel) && step > startStep)
                lastCheckpoint = WriteCheckpoint(checkpointPath, model, optimizer, options, trainableNames, step);
        }
        finally
        {
            // zero_grad reads every .grad through a new handle; a scope releases them (inside RunStep its own does).
            using (NewDisposeScope()) optimizer.zero_grad();
        }

        return new TrainingResult(startStep, step, cancelled, losses, rates, norms, lastCheckpoint);
    }

    private static (double Loss, double Rate, double Norm) RunStep(
        nn.Module model, Func<TrainingStep, Tensor> microBatchLoss, TrainingOptions options, OptimizerHelper optimizer,
        IReadOnlyList<double> groupScales, IReadOnlyList<Parameter> parameters, long step)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var k = options.GradientAccumulationSteps;
        double lossSum = 0;
        for (var micro = 0; micro < k; micro++)
        {
            var seed = MicroBatchSeed(options.Seed, step * k + micro);
            torch.manual_seed(seed);
            var loss = microBatchLoss(new TrainingStep(step, micro, k, seed))
                       ?? throw new InvalidOperationException($"The loss callback returned null at step {step}, micro-batch {micro}.");
            if (loss.numel() != 1)
                throw new ArgumentException($"The loss at step {step}, micro-batch {micro} has shape [{string.Join(", ", loss.shape)}]; it must be a scalar.");
            if (!loss.requires_grad)
                throw new InvalidOperationException($"The loss at step {step}, micro-batch {micro} does not depend on any parameter that requires gradients.");
            var value = loss.ToDouble();
            if (!double.IsFinite(value))
                throw new InvalidOperationException($"The loss is {value} at step {step}, micro-batch {micro}; training diverged or the batch is invalid.");
            lossSum += value;
            (k == 1 ? loss : loss / k).backward();
        }

        var norm = options.MaxGradientNorm is > 0
            ? nn.utils.clip_grad_norm_(parameters, options.MaxGradientNorm.Value)
            : double.NaN;
        var rate = LearningRateSchedule.At(step, options);
        var g = 0;
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate * groupScales[g++];
        optimizer.step();
        return (lossSum / k, rate, norm);
    }

    // One group per (weight decay, learning-rate scale); the scales are returned in group order.
    private static (AdamW Optimizer, IReadOnlyList<double> Scales) CreateOptimizer(IReadOnlyList<(string name, Parameter parameter)> trainable, TrainingOptions options)
    {
        AdamW.ParamGroup Group(IEnumerable<Parameter> ps, double decay, double scale) =>
            new(ps, options.LearningRate * scale, options.Beta1, options.Beta2, options.Epsilon, decay, amsgrad: false, maximize: false);

        var decayMatricesOnly = options.DecayMatricesOnly && options.WeightDecay != 0;
        var groups = new List<AdamW.ParamGroup>();
        var scales = new List<double>();
        var keys = trainable.Select(p => (
                Decay: !decayMatricesOnly || p.parameter.dim() >= 2 ? options.WeightDecay : 0.0,
                Scale: options.LearningRateScale?.Invoke(p.name) ?? 1.0,
                p.parameter))
            .ToList();
        foreach (var key in keys)
            if (!(key.Scale > 0) || !double.IsFinite(key.Scale))
                throw new ArgumentOutOfRangeException(nameof(options), key.Scale, $"TrainingOptions.LearningRateScale must be positive and finite; it is {key.Scale} for a parameter.");
        // Matrices first, then vectors, as before the scales existed (checkpoint group order stays the same).
        foreach (var group in keys.GroupBy(k => (k.Decay, k.Scale)).OrderByDescending(g => g.Key.Decay))
        {
            groups.Add(Group(group.Select(k => k.parameter), group.Key.Decay, group.Key.Scale));
            scales.Add(group.Key.Scale);
        }
        return (LeanAdamW.Create(groups, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay), scales);
    }

    private static string WriteCheckpoint(string path, nn.Module model, OptimizerHelper optimizer, TrainingOptions options,
        IReadOnlyList<string> trainableNames, long stepsDone)
    {
        TrainingCheckpoint.Write(path, model, optimizer,
            new TrainingCheckpointInfo(stepsDone, options.Seed, options.MaxSteps, trainableNames, DateTime.UtcNow));
        return path;
    }

    private static Dictionary<string, double> Metrics(double loss, double rate, double norm)
    {
        var metrics = new Dictionary<string, double> { ["loss"] = loss, ["lr"] = rate };
        if (!double.IsNaN(norm))
            metrics["grad_norm"] = norm;
        return metrics;
    }

    /// <summary>A well-mixed 31-bit seed for micro-batch <paramref name="index"/> of a run seeded with <paramref name="seed"/> (SplitMix64 finaliser).</summary>
    internal static int MicroBatchSeed(long seed, long index)
    {
        unchecked
        {
            var z = (ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(index + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }
    }
}
