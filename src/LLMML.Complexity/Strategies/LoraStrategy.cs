using LLMML.Complexity.Coding;
using LLMML.LanguageModels.Adapters;
using LLMML.LanguageModels.Answers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// A LoRA adapter of rank r trained on the training split, sent as its quantised weights (16, 8, 4, 2 bits per
/// parameter plus 16-bit scales); each bit width is evaluated with the quantised adapter (Programs/lora.txt).
/// The training data costs nothing here: the program carries the weights, not the examples.
/// </summary>
public sealed class LoraStrategy : IComplexityStrategy
{
    public const string StrategyName = "lora";

    private static readonly FixedInferenceCode Code = FixedInferenceCode.BuiltIn("lora");

    /// <param name="ranks">Adapter ranks; default 1 and 4.</param>
    /// <param name="bitWidths">Bits per adapter parameter; default 16, 8, 4, 2.</param>
    /// <param name="learningRate">AdamW peak learning rate.</param>
    /// <param name="targetPattern">Which Linear modules get adapters (LoraOptions.TargetPattern); default the attention query/value projections.</param>
    /// <param name="alpha">LoRA scale numerator (update × alpha / r).</param>
    public LoraStrategy(IEnumerable<int>? ranks = null, IEnumerable<int>? bitWidths = null, double learningRate = 1e-3, string? targetPattern = null, double alpha = 16)
    {
        Ranks = ranks?.ToArray() ?? [1, 4];
        BitWidths = bitWidths?.ToArray() ?? [16, 8, 4, 2];
        if (Ranks.Count == 0 || Ranks.Any(r => r < 1)) throw new ArgumentOutOfRangeException(nameof(ranks), "Give at least one rank, each at least 1.");
        if (BitWidths.Count == 0) throw new ArgumentOutOfRangeException(nameof(bitWidths), "Give at least one bit width.");
        foreach (var b in BitWidths) WeightQuantisation.PayloadBits(0, 0, b);
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        LearningRate = learningRate;
        TargetPattern = targetPattern ?? new LoraOptions().TargetPattern;
        Alpha = alpha;
    }

    public string Name => StrategyName;

    public IReadOnlyList<int> Ranks { get; }

    public IReadOnlyList<int> BitWidths { get; }

    public double LearningRate { get; }

    public string TargetPattern { get; }

    public double Alpha { get; }

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var rank in Ranks)
        {
            StrategyTraining.ThrowIfCallerCancelled(context);
            var model = context.Model.Clone();
            var trained = new List<(Parameter Parameter, Tensor Trained)>();
            try
            {
                var adapters = LoraAdapters.Apply(model.Model, new LoraOptions { Rank = rank, Alpha = Alpha, TargetPattern = TargetPattern, Seed = context.Seed });
                using var budget = context.RunBudget();
                var options = StrategyTraining.Options(context, Name, context.Budget.TrainingSteps, LearningRate);
                var result = AnswerFineTuning.Train(model, context.TrainTokens, options, context.Budget.BatchSize, progress: context.Progress, cancellationToken: budget.Token);
                StrategyTraining.ThrowIfCallerCancelled(context);
                foreach (var adapter in adapters.Values)
                    foreach (var p in new[] { adapter.lora_A, adapter.lora_B })
                    {
                        using var detached = p.detach();
                        trained.Add((p, detached.clone()));
                    }
                var parameters = trained.Sum(t => t.Trained.numel());
                foreach (var bits in BitWidths)
                {
                    using (no_grad())
                        foreach (var (parameter, weights) in trained)
                        {
                            using var quantised = WeightQuantisation.RoundTrip(weights, bits);
                            parameter.copy_(quantised);
                        }
                    var code = Code.Render(("bits_per_parameter", bits), ("rank", rank), ("alpha", Alpha), ("targets", TargetPattern));
                    var payload = WeightQuantisation.PayloadBits(parameters, trained.Count, bits);
                    yield return new ComplexityProgram($"r={rank} bits={bits}", new ProgramLength(code, payload), model)
                    {
                        Details = new Dictionary<string, double>
                        {
                            ["parameters"] = parameters,
                            ["steps"] = result.StepsCompleted,
                            ["finalLoss"] = result.FinalLoss ?? double.NaN,
                        },
                    };
                }
            }
            finally
            {
                foreach (var (_, weights) in trained) weights.Dispose();
                model.Dispose();
            }
        }
    }
}
