using LLMML.Complexity.Coding;
using LLMML.LanguageModels.Adapters;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Training;
using LLMML.MLNet.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// Train on the first N examples (N = 8, 16, … doubling) — the whole model, or a LoRA adapter of rank r on every
/// projection (the paper's setting, r = 8) — and pay for the data with its prequential code: the first epoch goes
/// through the examples in order, batch by batch, and each batch is arithmetic-coded under the model as it is just
/// before training on it. Training runs E epochs on one schedule; the model after every epoch is a program (same data,
/// its epoch count in the last few bits), and the epoch the validation split scores best is the one selected —
/// never the test split. Programs/prequential.cs decodes and trains in the same order.
/// </summary>
/// <remarks>
/// Payload (one arithmetic-coded stream, integers as γ codes of fair bits): N, batch, total steps T, seed + 1,
/// rank + 1 (1 = whole model), coding window, learning rate as m·10^−e (m, e), the first epoch's rows, then the
/// steps to stop after (e × batches per epoch).
/// </remarks>
public sealed class PrequentialTrainingStrategy : IComplexityStrategy
{
    public const string StrategyName = "prequential";

    private static readonly FixedInferenceCode Code = FixedInferenceCode.BuiltIn("prequential");

    /// <param name="sizes">The N to try; default 8, 16, … up to the budget's MaxTrainingExamples.</param>
    /// <param name="learningRate">AdamW peak learning rate of whole-model training (m·10^−e with an integer m).</param>
    /// <param name="loraRanks">What is trained: 0 = the whole model, r &gt; 0 = a rank-r LoRA on every projection. Default 0 and 8.</param>
    /// <param name="loraLearningRate">Peak learning rate of LoRA training.</param>
    public PrequentialTrainingStrategy(IEnumerable<int>? sizes = null, double learningRate = 3e-4, IEnumerable<int>? loraRanks = null, double loraLearningRate = 1e-3)
    {
        Sizes = sizes?.ToArray();
        if (Sizes is not null && Sizes.Any(n => n < 1)) throw new ArgumentOutOfRangeException(nameof(sizes), "Training set sizes must be at least 1.");
        LoraRanks = loraRanks?.Distinct().ToArray() ?? [0, 8];
        if (LoraRanks.Count == 0 || LoraRanks.Any(r => r < 0)) throw new ArgumentOutOfRangeException(nameof(loraRanks), "Give at least one rank (0 = the whole model), none negative.");
        LearningRate = Decimal(learningRate, nameof(learningRate));
        LoraLearningRate = Decimal(loraLearningRate, nameof(loraLearningRate));
    }

    public string Name => StrategyName;

    public IReadOnlyList<int>? Sizes { get; }

    public IReadOnlyList<int> LoraRanks { get; }

    public (long Mantissa, int Exponent) LearningRate { get; }

    public (long Mantissa, int Exponent) LoraLearningRate { get; }

    /// <summary>The learning rate m·10^−e exactly as the program computes it.</summary>
    public static double Value((long Mantissa, int Exponent) rate) => rate.Mantissa * Math.Pow(10, -rate.Exponent);

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var rank in LoraRanks)
            foreach (var n in Sizes ?? Doubling(Math.Min(context.Budget.MaxTrainingExamples, context.Train.Count)))
            {
                StrategyTraining.ThrowIfCallerCancelled(context);
                var label = rank == 0 ? $"N={n}" : $"lora{rank} N={n}";
                if (n > context.Train.Count)
                {
                    context.Note($"{Name} {label}: the training split has only {context.Train.Count} examples; skipped.");
                    continue;
                }
                var model = context.Model.Clone();
                var snapshots = new List<Tensor[]>();
                try
                {
                    var batch = context.Budget.BatchSize;
                    var firstEpoch = (n + batch - 1) / batch;
                    var epochs = Math.Max(1, Math.Min(context.Budget.MaxEpochs, context.Budget.TrainingSteps / firstEpoch));
                    var rate = rank == 0 ? LearningRate : LoraLearningRate;
                    if (rank > 0) LoraAdapters.Apply(model.Model, new LoraOptions { Rank = rank, TargetPattern = LoraStrategy.AllProjectionsPattern, Seed = context.Seed });
                    using var budget = context.RunBudget();
                    var options = StrategyTraining.Options(context, Name, epochs * firstEpoch, Value(rate));
                    var run = Train(model, context.Train.Take(n).ToArray(), context.TrainTokens.Take(n).ToArray(), batch, rank, rate, options, snapshots, context.Progress, budget.Token);
                    StrategyTraining.ThrowIfCallerCancelled(context);
                    if (snapshots.Count == 0)
                    {
                        context.Note($"{Name} {label}: the time budget ran out inside the first epoch ({run.Training.StepsCompleted} of {firstEpoch} batches); skipped.");
                        continue;
                    }
                    var trainable = Trainable(model);
                    var validation = new double[snapshots.Count];
                    for (var e = 0; e < snapshots.Count; e++)
                    {
                        Restore(trainable, snapshots[e]);
                        validation[e] = context.ScoreValidation(model) ?? (e == snapshots.Count - 1 ? 1 : 0);
                    }
                    // The best validation score; among equals the fewest epochs.
                    var chosen = Array.IndexOf(validation, validation.Max());
                    for (var e = 0; e < snapshots.Count; e++)
                    {
                        Restore(trainable, snapshots[e]);
                        var encoder = run.Encoder.Fork();
                        EliasGamma.Encode(encoder, (e + 1) * firstEpoch);
                        var code = encoder.Finish();
                        var ideal = run.IdealBits + EliasGamma.Length((e + 1) * firstEpoch);
                        yield return new ComplexityProgram($"{label} epoch={e + 1}", new ProgramLength(Code, code.BitLength, ideal, ProgramLength.PaperPrequential), model)
                        {
                            Payload = code,
                            Selected = e == chosen,
                            Details = new Dictionary<string, double>
                            {
                                ["epoch"] = e + 1,
                                ["steps"] = (e + 1) * firstEpoch,
                                ["validationScore"] = context.HasValidation ? validation[e] : double.NaN,
                                ["loraRank"] = rank,
                                ["finalLoss"] = run.Training.FinalLoss ?? double.NaN,
                            },
                        };
                    }
                }
                finally
                {
                    foreach (var s in snapshots.SelectMany(s => s)) s.Dispose();
                    model.Dispose();
                }
            }
    }

    /// <summary>
    /// Trains <paramref name="model"/> on the examples, coding the header and each first-epoch batch before its step, and
    /// keeps the trainable weights after every whole epoch in <paramref name="snapshots"/>. The returned encoder is left
    /// open after the first epoch's rows: each epoch's program appends its stop step and finishes a fork of it.
    /// </summary>
    internal static PrequentialRun Train(LanguageModel model, IReadOnlyList<TaskExample> examples, IReadOnlyList<PromptAnswerTokens> tokens,
        int batchSize, int rank, (long Mantissa, int Exponent) rate, TrainingOptions options, List<Tensor[]> snapshots,
        IProgress<LLMML.Foundation.Progress.ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        foreach (var e in examples)
            if (Split(TaskFormat.FullText(e.Prompt, e.Answer)) != e)
                throw new ArgumentException($"Training example \"{e.Prompt}\" → \"{e.Answer}\" cannot be coded as one line: its answer contains the separator \"{TaskFormat.AnswerSeparator}\".", nameof(examples));
        if (options.Seed < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Seed, "The prequential code sends the seed as a γ code; it must not be negative.");
        var contextCoder = new LanguageModelCoder(model);
        var rows = examples.Select(e => contextCoder.Tokens(TaskFormat.FullText(e.Prompt, e.Answer))).ToArray();
        // The window only needs the longest row + BOS, not the whole context: the decoder reads its width from the code.
        var width = rows.Max(r => r.Length) + 1;
        var coder = new LanguageModelCoder(model, width);
        var encoder = new ArithmeticEncoder();
        double ideal = 0;
        foreach (var value in new[] { examples.Count, batchSize, options.MaxSteps, options.Seed + 1, rank + 1, width, rate.Mantissa, rate.Exponent })
        {
            EliasGamma.Encode(encoder, value);
            ideal += EliasGamma.Length(value);
        }
        var firstEpoch = (examples.Count + batchSize - 1) / batchSize;
        var trainable = Trainable(model);
        var result = new TrainingLoop().Run(model.Model, step =>
        {
            if (step.Step > 0 && step.Step % firstEpoch == 0 && step.MicroBatch == 0) snapshots.Add(Snapshot(trainable));
            var batch = BatchAt(step, firstEpoch, batchSize, tokens.Count);
            if (step.Step < firstEpoch) ideal += coder.EncodeRows(encoder, batch.Select(i => rows[i]).ToArray());
            return AnswerFineTuning.Loss(model, batch.Select(i => tokens[i]).ToArray());
        }, options, progress, cancellationToken);
        if (result.StepsCompleted == options.MaxSteps) snapshots.Add(Snapshot(trainable));
        return new PrequentialRun(encoder, ideal, result);
    }

    /// <summary>"prompt answer" back into its parts: the answer is the text after the last separator.</summary>
    internal static TaskExample Split(string text)
    {
        var at = text.LastIndexOf(TaskFormat.AnswerSeparator, StringComparison.Ordinal);
        if (at < 0) throw new InvalidDataException($"Decoded example \"{text}\" has no answer separator.");
        return new TaskExample(text[..at], text[(at + TaskFormat.AnswerSeparator.Length)..]);
    }

    /// <summary>Example indices of a step: consecutive batches in the first epoch, then seeded samples of distinct examples.</summary>
    private static int[] BatchAt(TrainingStep step, int firstEpoch, int batchSize, int count)
    {
        if (step.Step < firstEpoch)
        {
            var start = (int)step.Step * batchSize;
            return Enumerable.Range(start, Math.Min(batchSize, count - start)).ToArray();
        }
        var order = Enumerable.Range(0, count).ToArray();
        new Random(step.Seed).Shuffle(order);
        return order[..Math.Min(batchSize, count)];
    }

    private static TorchSharp.Modules.Parameter[] Trainable(LanguageModel model) => model.Model.parameters().Where(p => p.requires_grad).ToArray();

    private static Tensor[] Snapshot(IEnumerable<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Detached from every scope: snapshots are taken inside the training loop's step scope and outlive it.
        return parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    private static void Restore(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> values)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Count; i++) parameters[i].copy_(values[i]);
    }

    private static (long, int) Decimal(double rate, string name)
    {
        if (!(rate > 0)) throw new ArgumentOutOfRangeException(name, rate, "The learning rate must be positive.");
        for (var e = 0; e <= 15; e++)
        {
            var m = Math.Round(rate * Math.Pow(10, e));
            if (m >= 1 && Math.Abs(m * Math.Pow(10, -e) - rate) <= 1e-12 * rate) return ((long)m, e);
        }
        throw new ArgumentOutOfRangeException(name, rate, "The learning rate must be m·10^−e with an integer m and e ≤ 15 (the payload sends it so).");
    }

    internal static IEnumerable<int> Doubling(int max)
    {
        for (var n = 8; n <= max; n *= 2) yield return n;
    }

    internal sealed record PrequentialRun(ArithmeticEncoder Encoder, double IdealBits, TrainingResult Training);
}
