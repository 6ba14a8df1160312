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
/// One LoRA configuration the strategy tries: target set, rank, bits per sent parameter, learning rate. Settable
/// properties, so a search space over them (e.g. LLMML.Sweeps' <c>SearchSpace&lt;LoraSetting&gt;</c>) can build a list.
/// </summary>
public sealed class LoraSetting
{
    /// <summary>Which projections get adapters.</summary>
    public LoraTargets Targets { get; set; } = LoraTargets.AllProjections;

    /// <summary>Adapter rank.</summary>
    public int Rank { get; set; } = 1;

    /// <summary>Bits per adapter parameter sent (one of WeightQuantisation.BitWidths).</summary>
    public int Bits { get; set; } = 16;

    /// <summary>AdamW peak learning rate.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <inheritdoc />
    public override string ToString() => $"{LoraStrategy.NameOf(Targets)} r={Rank} bits={Bits} lr={LearningRate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}";
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
        : this(Grid(ranks, bitWidths, learningRate, targets), alpha)
    {
    }

    /// <param name="settings">Every configuration to try, in order (e.g. drawn from a search space); configurations
    /// that differ only in bits share one training run, in the order their first one appears.</param>
    /// <param name="alpha">LoRA scale numerator (update × alpha / r), a positive integer.</param>
    public LoraStrategy(IEnumerable<LoraSetting> settings, int alpha = 16)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings.Select(s => new LoraSetting { Targets = s.Targets, Rank = s.Rank, Bits = s.Bits, LearningRate = s.LearningRate }).ToArray();
        if (Settings.Count == 0) throw new ArgumentException("Give at least one LoRA setting.", nameof(settings));
        foreach (var s in Settings)
        {
            if (s.Rank < 1) throw new ArgumentOutOfRangeException(nameof(settings), s.Rank, $"LoRA setting {s}: the rank must be at least 1.");
            if (!Enum.IsDefined(s.Targets)) throw new ArgumentOutOfRangeException(nameof(settings), s.Targets, $"LoRA setting {s}: unknown target set.");
            if (!(s.LearningRate > 0) || !double.IsFinite(s.LearningRate)) throw new ArgumentOutOfRangeException(nameof(settings), s.LearningRate, $"LoRA setting {s}: the learning rate must be positive.");
            WeightQuantisation.PayloadBits(0, 0, s.Bits);
        }
        var repeated = Settings.GroupBy(s => s.ToString()).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"LoRA setting {repeated.Key} appears twice.", nameof(settings));
        if (alpha < 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be a positive integer (the payload sends it as one).");
        Ranks = Settings.Select(s => s.Rank).Distinct().ToArray();
        BitWidths = Settings.Select(s => s.Bits).Distinct().ToArray();
        Targets = Settings.Select(s => s.Targets).Distinct().ToArray();
        LearningRate = Settings[0].LearningRate;
        Alpha = alpha;
    }

    /// <summary>
    /// The hand-set grid as settings: every target set × rank × bit width at one learning rate, in that nesting (the
    /// order the strategy has always trained and sent them in). Null arguments take the defaults.
    /// </summary>
    public static IReadOnlyList<LoraSetting> Grid(IEnumerable<int>? ranks = null, IEnumerable<int>? bitWidths = null, double learningRate = 1e-3,
        IEnumerable<LoraTargets>? targets = null)
    {
        int[] r = ranks?.ToArray() ?? [1, 2, 4, 8, 16];
        int[] b = bitWidths?.ToArray() ?? [16, 8, 4, 2];
        LoraTargets[] t = targets?.Distinct().ToArray() ?? [LoraTargets.AllProjections, LoraTargets.QueryValue];
        if (r.Length == 0 || r.Any(x => x < 1)) throw new ArgumentOutOfRangeException(nameof(ranks), "Give at least one rank, each at least 1.");
        if (b.Length == 0) throw new ArgumentOutOfRangeException(nameof(bitWidths), "Give at least one bit width.");
        if (t.Length == 0) throw new ArgumentOutOfRangeException(nameof(targets), "Give at least one target set.");
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        return [.. from target in t from rank in r from bits in b select new LoraSetting { Targets = target, Rank = rank, Bits = bits, LearningRate = learningRate }];
    }

    public string Name => StrategyName;

    /// <summary>Every configuration tried, in order.</summary>
    public IReadOnlyList<LoraSetting> Settings { get; }

    /// <summary>The distinct ranks of <see cref="Settings"/>, in order.</summary>
    public IReadOnlyList<int> Ranks { get; }

    /// <summary>The distinct bit widths of <see cref="Settings"/>, in order.</summary>
    public IReadOnlyList<int> BitWidths { get; }

    /// <summary>The distinct target sets of <see cref="Settings"/>, in order.</summary>
    public IReadOnlyList<LoraTargets> Targets { get; }

    /// <summary>The first setting's learning rate (every setting's, unless the list varies it).</summary>
    public double LearningRate { get; }

    public int Alpha { get; }

    /// <summary>Short name of a target set in configurations: "all" or "qv".</summary>
    public static string NameOf(LoraTargets targets) => targets == LoraTargets.AllProjections ? "all" : "qv";

    public static string PatternOf(LoraTargets targets) => targets == LoraTargets.AllProjections ? AllProjectionsPattern : QueryValuePattern;

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Settings that differ only in bits reuse one trained adapter; a run's name names its learning rate only when
        // the list tries several (so the hand-set grid's names are what they always were).
        bool severalRates = Settings.Select(s => s.LearningRate).Distinct().Count() > 1;
        foreach (var run in Settings.GroupBy(s => (s.Targets, s.Rank, s.LearningRate)))
        {
            var (target, rank, learningRate) = run.Key;
            StrategyTraining.ThrowIfCallerCancelled(context);
            var model = context.Model.Clone();
            var trained = new List<(Parameter Parameter, Tensor Trained)>();
            try
            {
                LoraAdapters.Apply(model.Model, new LoraOptions { Rank = rank, Alpha = Alpha, TargetPattern = PatternOf(target), Seed = context.Seed });
                using var budget = context.RunBudget();
                var options = StrategyTraining.Options(context, Name, context.Budget.TrainingSteps, learningRate);
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
                foreach (var bits in run.Select(s => s.Bits))
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
                    string name = $"{NameOf(target)} r={rank} bits={bits}" + (severalRates ? $" lr={learningRate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}" : "");
                    yield return new ComplexityProgram(name, new ProgramLength(Code, code.BitLength, PaperScriptBytes: paper), model)
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
