using LLMML.Complexity.Coding;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Training;
using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// Train the whole model on the first N training examples (N = 8, 16, … doubling) and pay for the data with its
/// prequential code: the first epoch goes through the examples in order, batch by batch, and each batch is
/// arithmetic-coded under the model as it is just before training on it, in a window as wide as the longest row (Programs/prequential.txt decodes and trains
/// in the same order). Later steps re-sample the decoded examples and cost nothing more.
/// </summary>
public sealed class PrequentialTrainingStrategy : IComplexityStrategy
{
    public const string StrategyName = "prequential";

    private static readonly FixedInferenceCode Code = FixedInferenceCode.BuiltIn("prequential");

    /// <param name="sizes">The N to try; default 8, 16, … up to the budget's MaxTrainingExamples.</param>
    /// <param name="learningRate">AdamW peak learning rate.</param>
    public PrequentialTrainingStrategy(IEnumerable<int>? sizes = null, double learningRate = 3e-4)
    {
        Sizes = sizes?.ToArray();
        if (Sizes is not null && Sizes.Any(n => n < 1)) throw new ArgumentOutOfRangeException(nameof(sizes), "Training set sizes must be at least 1.");
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        LearningRate = learningRate;
    }

    public string Name => StrategyName;

    public IReadOnlyList<int>? Sizes { get; }

    public double LearningRate { get; }

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var n in Sizes ?? Doubling(Math.Min(context.Budget.MaxTrainingExamples, context.Train.Count)))
        {
            StrategyTraining.ThrowIfCallerCancelled(context);
            if (n > context.Train.Count)
            {
                context.Note($"{Name} N={n}: the training split has only {context.Train.Count} examples; skipped.");
                continue;
            }
            var model = context.Model.Clone();
            try
            {
                var batch = context.Budget.BatchSize;
                var firstEpoch = (n + batch - 1) / batch;
                var steps = Math.Max(firstEpoch, Math.Min(context.Budget.TrainingSteps, context.Budget.MaxEpochs * firstEpoch));
                using var budget = context.RunBudget();
                var options = StrategyTraining.Options(context, Name, steps, LearningRate);
                var run = Train(model, context.Train.Take(n).ToArray(), context.TrainTokens.Take(n).ToArray(), batch, options, context.Progress, budget.Token);
                StrategyTraining.ThrowIfCallerCancelled(context);
                if (run.Training.StepsCompleted < firstEpoch)
                {
                    context.Note($"{Name} N={n}: the time budget ran out inside the first epoch ({run.Training.StepsCompleted} of {firstEpoch} batches); skipped.");
                    continue;
                }
                var code = Code.Render(("lr", LearningRate), ("warmup", options.WarmupSteps), ("steps", steps),
                    ("seed", context.Seed), ("stop", run.Training.StepsCompleted), ("batch", batch));
                yield return new ComplexityProgram($"N={n}", new ProgramLength(code, run.Code.BitLength, run.IdealBits), model)
                {
                    Details = new Dictionary<string, double>
                    {
                        ["steps"] = run.Training.StepsCompleted,
                        ["finalLoss"] = run.Training.FinalLoss ?? double.NaN,
                    },
                };
            }
            finally
            {
                model.Dispose();
            }
        }
    }

    /// <summary>
    /// Trains <paramref name="model"/> on the examples, coding each first-epoch batch before its step; returns the code.
    /// Decoding (<see cref="Decode"/>) repeats the same steps, so both see the same model at every batch.
    /// </summary>
    internal static PrequentialRun Train(LanguageModel model, IReadOnlyList<TaskExample> examples, IReadOnlyList<PromptAnswerTokens> tokens,
        int batchSize, TrainingOptions options, IProgress<LLMML.Foundation.Progress.ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        foreach (var e in examples)
            if (Split(TaskFormat.FullText(e.Prompt, e.Answer)) != e)
                throw new ArgumentException($"Training example \"{e.Prompt}\" → \"{e.Answer}\" cannot be coded as one line: its answer contains the separator \"{TaskFormat.AnswerSeparator}\".", nameof(examples));
        var contextCoder = new LanguageModelCoder(model);
        var rows = examples.Select(e => contextCoder.Tokens(TaskFormat.FullText(e.Prompt, e.Answer))).ToArray();
        // The window only needs the longest row + BOS, not the whole context: the decoder reads its width from the code.
        var width = rows.Max(r => r.Length) + 1;
        var coder = new LanguageModelCoder(model, width);
        var encoder = new ArithmeticEncoder();
        EliasGamma.Encode(encoder, examples.Count);
        EliasGamma.Encode(encoder, width);
        double ideal = EliasGamma.Length(examples.Count) + EliasGamma.Length(width);
        var firstEpoch = (examples.Count + batchSize - 1) / batchSize;
        var result = new TrainingLoop().Run(model.Model, step =>
        {
            var batch = BatchAt(step, firstEpoch, batchSize, tokens.Count);
            if (step.Step < firstEpoch) ideal += coder.EncodeRows(encoder, batch.Select(i => rows[i]).ToArray());
            return AnswerFineTuning.Loss(model, batch.Select(i => tokens[i]).ToArray());
        }, options, progress, cancellationToken);
        return new PrequentialRun(encoder.Finish(), ideal, result);
    }

    /// <summary>Decodes the examples of a prequential code, training <paramref name="model"/> exactly as <see cref="Train"/> did.</summary>
    internal static IReadOnlyList<TaskExample> Decode(LanguageModel model, CodedBits code, int batchSize, TrainingOptions options)
    {
        var decoder = new ArithmeticDecoder(code);
        var count = (int)EliasGamma.Decode(decoder);
        var coder = new LanguageModelCoder(model, (int)EliasGamma.Decode(decoder));
        var examples = new List<TaskExample>(count);
        var tokens = new List<PromptAnswerTokens>(count);
        var firstEpoch = (count + batchSize - 1) / batchSize;
        new TrainingLoop().Run(model.Model, step =>
        {
            var batch = BatchAt(step, firstEpoch, batchSize, count);
            if (step.Step < firstEpoch)
                foreach (var row in coder.DecodeRows(decoder, batch.Length))
                {
                    var example = Split(model.Decode(row));
                    examples.Add(example);
                    tokens.Add(TrainingTargets.For(model, example));
                }
            return AnswerFineTuning.Loss(model, batch.Select(i => tokens[i]).ToArray());
        }, options);
        return examples;
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

    internal static IEnumerable<int> Doubling(int max)
    {
        for (var n = 8; n <= max; n *= 2) yield return n;
    }

    internal sealed record PrequentialRun(CodedBits Code, double IdealBits, TrainingResult Training);
}
