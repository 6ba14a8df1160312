using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Training;
using LLMML.TracrInjection.Teachers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Training;

/// <summary>What one injection run did: the trained adapter, the loop's result and the loss terms of every step.</summary>
/// <param name="Adapter">A = Linear(d_LM → d_compiled), on the model's device (the caller owns it).</param>
/// <param name="Training">The shared loop's result (total loss per step, checkpoint).</param>
/// <param name="Terms">Per step run in this call: answer CE, KL to the original, L_alg (0 for the baseline).</param>
/// <param name="Seconds">Wall time of the training loop.</param>
public sealed record InjectionResult(Linear Adapter, TrainingResult Training, IReadOnlyList<(double Ce, double Kl, double Alg)> Terms, double Seconds);

/// <summary>
/// Tracr-injection's training (METHODS.md §3): loss = CE on the answer tokens + KL(original ‖ model) on natural text +
/// λ·L_alg, with detach-and-roll on task data, AdamW with separate LM and adapter learning rates and no schedule, through
/// the shared <see cref="TrainingLoop"/> (progress, cancellation, checkpoints, exact resume).
/// </summary>
public static class TracrInjector
{
    /// <summary>
    /// Trains <paramref name="model"/> in place (pass a copy to keep the original) and returns the adapter.
    /// </summary>
    /// <param name="model">The LM to inject into; a frozen copy is taken first for the KL term.</param>
    /// <param name="teacher">The verified compiled program (see <see cref="InjectionData.PrepareTeacher"/>).</param>
    /// <param name="examples">Aligned training rows.</param>
    /// <param name="naturalTexts">Held-out natural text for the KL term (each cut to <see cref="InjectionSettings.NaturalTokens"/> tokens).</param>
    /// <exception cref="ArgumentException">The LM has fewer blocks than the teacher has layers (or than detach-and-roll's position needs).</exception>
    public static InjectionResult Train(LanguageModel model, InjectionTeacher teacher, IReadOnlyList<InjectionExample> examples, IReadOnlyList<string> naturalTexts,
        InjectionSettings settings, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(naturalTexts);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (examples.Count == 0) throw new ArgumentException("No training examples.", nameof(examples));
        var layers = teacher.Layers;
        var blocks = model.Config.NumLayers;
        RequireDepth(blocks, layers, settings);
        var roll = settings.DetachAndRoll && !settings.Baseline;
        var rollLayer = settings.RollAt == RollPosition.AfterLastAlignedState ? layers + 1 : layers;
        var output = teacher.Model.Config.OutputVariable;
        var natural = naturalTexts.Select(t => model.Encode(t).Take(settings.NaturalTokens).ToArray()).Where(ids => ids.Length >= 2).ToArray();
        if (settings.NaturalBatchSize > 0 && natural.Length == 0)
            throw new ArgumentException("The KL term needs natural text of at least 2 tokens; none was given (or set NaturalBatchSize = 0).", nameof(naturalTexts));

        using var original = model.Clone();
        foreach (var p in original.Model.parameters()) p.requires_grad = false;
        original.Model.eval();

        // The adapter's initialisation comes from the run's seed, so a run (and its resume) is reproducible.
        torch.manual_seed(settings.Seed);
        var injected = new InjectedModel(model.Model, teacher.Width, model.Device);
        if (settings.Baseline)
            foreach (var p in injected.adapter.parameters()) p.requires_grad = false;
        var options = new TrainingOptions
        {
            LearningRate = settings.LmLearningRate,
            MinLearningRate = settings.LmLearningRate,   // no schedule: cosine from η to η is constant
            WarmupSteps = 0,
            MaxSteps = settings.Steps,
            WeightDecay = settings.WeightDecay,
            MaxGradientNorm = settings.MaxGradientNorm,
            Seed = settings.Seed,
            CheckpointDirectory = settings.CheckpointDirectory,
            CheckpointEvery = settings.CheckpointEvery,
            ProgressEvery = settings.ProgressEvery,
            Stage = settings.Baseline ? $"inject {teacher.Program.Name} (baseline)" : $"inject {teacher.Program.Name}",
            LearningRateScale = name => name.StartsWith(InjectedModel.AdapterPrefix, StringComparison.Ordinal)
                ? settings.AdapterLearningRate / settings.LmLearningRate : 1.0,
        };

        var terms = new List<(double, double, double)>();
        var device = model.Device;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new TrainingLoop().Run(injected, step =>
        {
            var random = new Random(step.Seed);
            var batch = Enumerable.Range(0, settings.TaskBatchSize).Select(_ => examples[random.Next(examples.Count)]).ToList();
            var task = TaskBatch.Create(batch, model.PadId, device);

            // The teacher's residual streams r_0 … r_L for these rows, BOS column dropped.
            Tensor[] compiled = [];
            if (!settings.Baseline)
            {
                using var noGrad = no_grad();
                var ids = teacher.Model.Encode(batch.Select(e => (IReadOnlyList<Rasp.Language.RaspValue>)e.Sequence.CompiledInput).ToList());
                compiled = teacher.Model.RecordResiduals(ids).Select(r => r.narrow(1, 1, r.shape[1] - 1).to(device)).ToArray();
            }

            ResidualStreamHook? rewrite = null;
            if (roll)
            {
                var projector = InjectionLosses.Projector(injected.adapter.weight!, output.Start, output.Count);
                rewrite = (layer, h) => layer == rollLayer ? InjectionLosses.DetachAndRoll(h, projector) : null;
            }
            var (logits, residuals) = ResidualRecorder.RecordResiduals(model.Model, task.Ids, task.AttentionMask, rewrite, keepGradient: !settings.Baseline);
            try
            {
                var ce = InjectionLosses.AnswerCrossEntropy(logits, task.Targets, task.AnswerMask);
                var loss = ce;
                double alg = 0, kl = 0;
                if (!settings.Baseline)
                {
                    var a = InjectionLosses.Alignment(residuals.Take(layers + 1).ToList(), compiled, x => injected.adapter.call(x), task.AttentionMask);
                    alg = a.item<float>();
                    loss = loss + settings.Lambda * a;
                }
                if (settings.NaturalBatchSize > 0)
                {
                    var texts = Enumerable.Range(0, settings.NaturalBatchSize).Select(_ => natural[random.Next(natural.Length)]).ToList();
                    var (ids, mask) = TaskBatch.Pad(texts, model.PadId, device);
                    Tensor originalLogits;
                    using (no_grad()) originalLogits = original.Model.forward(ids, mask, null);
                    var k = InjectionLosses.KlToOriginal(model.Model.forward(ids, mask, null), originalLogits, mask);
                    kl = k.item<float>();
                    loss = loss + k;
                }
                terms.Add((ce.item<float>(), kl, alg));
                return loss;
            }
            finally
            {
                foreach (var r in residuals) r.Dispose();
            }
        }, options, progress, cancellationToken);
        return new InjectionResult(injected.adapter, result, terms, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Throws unless an LM of <paramref name="blocks"/> blocks can hold a teacher of <paramref name="layers"/> layers with these settings.</summary>
    public static void RequireDepth(int blocks, int layers, InjectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (blocks < layers)
            throw new ArgumentException($"The LM has {blocks} blocks but the compiled program has {layers} layers; injection aligns h_0 … h_{layers} and needs at least {layers} blocks.");
        if (!settings.Baseline && settings.DetachAndRoll && settings.RollAt == RollPosition.AfterLastAlignedState && blocks < layers + 1)
            throw new ArgumentException(
                $"The LM has {blocks} blocks and the compiled program {layers} layers; detach-and-roll after the last aligned state (the authors' code, on the output of block {layers}) needs {layers + 1} blocks. " +
                "Use RollPosition.AtLastAlignedState (the paper's text) or a deeper LM.");
    }
}
