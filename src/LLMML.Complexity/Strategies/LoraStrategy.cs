using LLMML.Complexity.Coding;
using LLMML.LanguageModels.Adapters;
using LLMML.LanguageModels.Answers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.Complexity.Strategies;

/// <summary>Which projections get LoRA adapters.</summary>
public enum LoraTargets
{
    /// <summary>The attention query and value projections (the original LoRA setting).</summary>
    QueryValue,

    /// <summary>Every projection: q, k, v, o and the MLP's up / gate / down (the paper's setting).</summary>
    AllProjections,
}

/// <summary>
/// A LoRA adapter of rank r on the chosen projections, trained on the training split and sent as its quantised weights
/// (16, 8, 4, 2 bits per parameter plus 16-bit scales); each bit width is evaluated with the quantised adapter.
/// Payload: γ(rank), γ(bits), γ(alpha), one bit for the targets, then every adapter's A and B
/// (<see cref="WeightQuantisation.Write"/>); Programs/lora.cs reads it. The training data costs nothing here: the
/// program carries the weights, not the examples.
/// </summary>
public sealed class LoraStrategy : IComplexityStrategy
{
    public const string StrategyName = "lora";

    /// <summary>The module-name patterns of <see cref="LoraTargets"/>, as Programs/lora.cs spells them.</summary>
    public const string QueryValuePattern = "[qv]_proj$", AllProjectionsPattern = "_proj$";

    private static readonly FixedInferenceCode Code = FixedInferenceCode.BuiltIn("lora");

    /// <param name="ranks">Adapter ranks; default 1, 2, 4, 8, 16 (the paper's).</param>
    /// <param name="bitWidths">Bits per adapter parameter; default 16, 8, 4, 2.</param>
    /// <param name="learningRate">AdamW peak learning rate.</param>
    /// <param name="targets">Projection sets; default all projections and q/v.</param>
    /// <param name="alpha">LoRA scale numerator (update × alpha / r), a positive integer.</param>
    public LoraStrategy(IEnumerable<int>? ranks = null, IEnumerable<int>? bitWidths = null, double learningRate = 1e-3,
        IEnumerable<LoraTargets>? targets = null, int alpha = 16)
    {
        Ranks = ranks?.ToArray() ?? [1, 2, 4, 8, 16];
        BitWidths = bitWidths?.ToArray() ?? [16, 8, 4, 2];
        Targets = targets?.Distinct().ToArray() ?? [LoraTargets.AllProjections, LoraTargets.QueryValue];
        if (Ranks.Count == 0 || Ranks.Any(r => r < 1)) throw new ArgumentOutOfRangeException(nameof(ranks), "Give at least one rank, each at least 1.");
        if (BitWidths.Count == 0) throw new ArgumentOutOfRangeException(nameof(bitWidths), "Give at least one bit width.");
        if (Targets.Count == 0) throw new ArgumentOutOfRangeException(nameof(targets), "Give at least one target set.");
        foreach (var b in BitWidths) WeightQuantisation.PayloadBits(0, 0, b);
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        if (alpha < 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be a positive integer (the payload sends it as one).");
        LearningRate = learningRate;
        Alpha = alpha;
    }

    public string Name => StrategyName;

    public IReadOnlyList<int> Ranks { get; }

    public IReadOnlyList<int> BitWidths { get; }

    public IReadOnlyList<LoraTargets> Targets { get; }

    public double LearningRate { get; }

    public int Alpha { get; }

    /// <summary>Short name of a target set in configurations: "all" or "qv".</summary>
    public static string NameOf(LoraTargets targets) => targets == LoraTargets.AllProjections ? "all" : "qv";

    public static string PatternOf(LoraTargets targets) => targets == LoraTargets.AllProjections ? AllProjectionsPattern : QueryValuePattern;

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var target in Targets)
            foreach (var rank in Ranks)
            {
                StrategyTraining.ThrowIfCallerCancelled(context);
                var model = context.Model.Clone();
                var trained = new List<(Parameter Parameter, Tensor Trained)>();
                try
                {
                    LoraAdapters.Apply(model.Model, new LoraOptions { Rank = rank, Alpha = Alpha, TargetPattern = PatternOf(target), Seed = context.Seed });
                    using var budget = context.RunBudget();
                    var options = StrategyTraining.Options(context, Name, context.Budget.TrainingSteps, LearningRate);
                    var result = AnswerFineTuning.Train(model, context.TrainTokens, options, context.Budget.BatchSize, progress: context.Progress, cancellationToken: budget.Token);
                    StrategyTraining.ThrowIfCallerCancelled(context);
                    // The order Programs/lora.cs reads them in: adapters as the module tree lists them, A then B.
                    foreach (var adapter in LoraAdapters.Adapters(model.Model))
                        foreach (var p in new[] { adapter.lora_A, adapter.lora_B })
                        {
                            using var detached = p.detach();
                            trained.Add((p, detached.clone()));
                        }
                    var parameters = trained.Sum(t => t.Trained.numel());
                    foreach (var bits in BitWidths)
                    {
                        var payload = new PayloadWriter();
                        payload.WriteGamma(rank);
                        payload.WriteGamma(bits);
                        payload.WriteGamma(Alpha);
                        payload.WriteBit(target == LoraTargets.AllProjections);
                        var header = payload.BitLength;
                        using (no_grad())
                            foreach (var (parameter, weights) in trained)
                            {
                                WeightQuantisation.Write(payload, weights, bits);
                                using var quantised = WeightQuantisation.RoundTrip(weights, bits);
                                parameter.copy_(quantised);
                            }
                        var code = payload.ToCodedBits();
                        var paper = bits == 16 ? ProgramLength.PaperLora : ProgramLength.PaperQuantisedLora;
                        yield return new ComplexityProgram($"{NameOf(target)} r={rank} bits={bits}", new ProgramLength(Code, code.BitLength, PaperScriptBytes: paper), model)
                        {
                            Payload = code,
                            Details = new Dictionary<string, double>
                            {
                                ["parameters"] = parameters,
                                ["headerBits"] = header,
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
