using LLMML.Complexity.Coding;
using LLMML.Eigenpruning;
using LLMML.Eigenpruning.Matrices;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Hooks;
using static TorchSharp.torch;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// One eigenpruning mask the strategy sends: the share of singular values removed and how they are removed. Settable
/// properties, so a search space over them (e.g. LLMML.Sweeps' <c>SearchSpace&lt;EigenpruneMaskSetting&gt;</c>) can build a list.
/// </summary>
public sealed class EigenpruneMaskSetting
{
    /// <summary>Share of the singular values removed, in (0, 1).</summary>
    public double Fraction { get; set; } = 0.1;

    /// <summary>Zero or mean ablation.</summary>
    public Ablation Ablation { get; set; } = Ablation.Zero;

    /// <inheritdoc />
    public override string ToString() => $"f={Fraction} {Ablation.ToString().ToLowerInvariant()}";
}

/// <summary>
/// An eigenpruning mask as a program (METHODS.md §4, "beyond the paper"): the k of the model's n singular values that
/// eigenpruning removes, scored once on the first training examples, sent as their subset code — ⌈log₂ C(n, k)⌉ bits
/// (<see cref="SubsetCode"/>). With mean ablation the program also needs the bias shifts the removed directions' means
/// fold in, sent in half precision (16 bits per bias entry of every projection that lost a value); zero ablation needs
/// nothing more. Payload: γ(k + 1), the ablation bit, one bit per <see cref="WeightKind"/> decomposed, the subset code
/// (singular values numbered layer, kind, head, index), then the bias shifts; Programs/eigenprune.cs reads it,
/// decomposes the same matrices and removes the same values. Like LoRA, the program carries the result, not the
/// training data.
/// </summary>
public sealed class EigenpruneMaskStrategy : IComplexityStrategy
{
    public const string StrategyName = "eigenprune";

    private static readonly FixedInferenceCode Code = FixedInferenceCode.BuiltIn("eigenprune");

    /// <param name="fractions">Shares of the singular values removed; default 0.01, 0.02, 0.05, 0.1, 0.2.</param>
    /// <param name="ablations">Default zero and mean.</param>
    /// <param name="matrices">Matrix kinds decomposed; default every attention and MLP kind the model has.</param>
    public EigenpruneMaskStrategy(IEnumerable<double>? fractions = null, IEnumerable<Ablation>? ablations = null, IEnumerable<WeightKind>? matrices = null)
        : this(Grid(fractions, ablations), matrices)
    {
    }

    /// <param name="settings">Every mask to send, in order (e.g. drawn from a search space); all share one scoring pass.</param>
    /// <param name="matrices">Matrix kinds decomposed; default every attention and MLP kind the model has.</param>
    public EigenpruneMaskStrategy(IEnumerable<EigenpruneMaskSetting> settings, IEnumerable<WeightKind>? matrices = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings.Select(s => new EigenpruneMaskSetting { Fraction = s.Fraction, Ablation = s.Ablation }).ToArray();
        if (Settings.Count == 0) throw new ArgumentException("Give at least one fraction and one ablation.", nameof(settings));
        foreach (var s in Settings)
        {
            PruningSelection.Validate(s.Fraction, null, null);
            if (!Enum.IsDefined(s.Ablation)) throw new ArgumentOutOfRangeException(nameof(settings), s.Ablation, $"Eigenprune mask setting {s}: unknown ablation.");
        }
        var repeated = Settings.GroupBy(s => s.ToString()).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"Eigenprune mask setting {repeated.Key} appears twice.", nameof(settings));
        Fractions = Settings.Select(s => s.Fraction).Distinct().ToArray();
        Ablations = Settings.Select(s => s.Ablation).Distinct().ToArray();
        Matrices = matrices?.ToArray();
        if (Matrices is { Count: 0 }) throw new ArgumentException("Give at least one matrix kind, or null for all.", nameof(matrices));
    }

    /// <summary>The hand-set grid as settings: ablations × fractions in that nesting (the order the masks have always been sent in).</summary>
    public static IReadOnlyList<EigenpruneMaskSetting> Grid(IEnumerable<double>? fractions = null, IEnumerable<Ablation>? ablations = null)
    {
        double[] f = fractions?.ToArray() ?? [0.01, 0.02, 0.05, 0.1, 0.2];
        Ablation[] a = ablations?.ToArray() ?? [Ablation.Zero, Ablation.Mean];
        if (f.Length == 0 || a.Length == 0) throw new ArgumentException("Give at least one fraction and one ablation.");
        return [.. from ablation in a from fraction in f select new EigenpruneMaskSetting { Fraction = fraction, Ablation = ablation }];
    }

    public string Name => StrategyName;

    /// <summary>Every mask sent, in order.</summary>
    public IReadOnlyList<EigenpruneMaskSetting> Settings { get; }

    /// <summary>The distinct fractions of <see cref="Settings"/>, in order.</summary>
    public IReadOnlyList<double> Fractions { get; }

    /// <summary>The distinct ablations of <see cref="Settings"/>, in order.</summary>
    public IReadOnlyList<Ablation> Ablations { get; }

    public IReadOnlyList<WeightKind>? Matrices { get; }

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        StrategyTraining.ThrowIfCallerCancelled(context);
        var model = context.Model;
        // Enum order: the program reads one bit per kind in that order and decomposes layer by layer, kind by kind.
        var kinds = (Matrices ?? Enum.GetValues<WeightKind>().Where(k => ModelWeights.Has(model.Config, k))).Distinct().Order().ToArray();
        var examples = context.TrainTokens.Take(context.Budget.MaxTrainingExamples).ToArray();
        var settings = new EigenpruneSettings { Matrices = kinds, BatchSize = context.Budget.BatchSize, Seed = (int)context.Seed, Progress = context.Progress };
        using var scores = Eigenpruner.Score(model, examples, settings, context.CancellationToken);
        var positions = Positions(scores, model.Config.NumLayers, kinds);
        foreach (var (fraction, ablation) in Settings.Select(s => (s.Fraction, s.Ablation)))
        {
            StrategyTraining.ThrowIfCallerCancelled(context);
            var pruned = model.Clone();
            try
            {
                var report = scores.Prune(pruned, ablation, fraction);
                var subset = report.Pruned.Select(p => positions[p.Id]).ToArray();
                var payload = new PayloadWriter();
                payload.WriteGamma(subset.Length + 1);
                payload.WriteBit(ablation == Ablation.Mean);
                foreach (var kind in Enum.GetValues<WeightKind>()) payload.WriteBit(kinds.Contains(kind));
                var mask = SubsetCode.Encode(scores.Count, subset);
                payload.WriteCode(mask);
                var maskBits = mask.BitLength;
                var before = payload.BitLength;
                if (ablation == Ablation.Mean)
                {
                    var edited = report.Pruned.Select(p => p.Id.Projection).ToHashSet();
                    SendBiasesInHalfPrecision(model, pruned, positions.Keys.Select(p => p.Projection).Distinct().Where(edited.Contains), payload);
                }
                var biasBits = payload.BitLength - before;
                var code = payload.ToCodedBits();
                yield return new ComplexityProgram($"f={fraction} {ablation.ToString().ToLowerInvariant()}", new ProgramLength(Code, code.BitLength), pruned)
                {
                    Payload = code,
                    Details = new Dictionary<string, double>
                    {
                        ["pruned"] = subset.Length,
                        ["singularValues"] = scores.Count,
                        ["maskBits"] = maskBits,
                        ["biasBits"] = biasBits,
                        ["scoredExamples"] = examples.Length,
                        ["scoringSeconds"] = scores.Seconds,
                    },
                };
            }
            finally
            {
                pruned.Dispose();
            }
        }
    }

    /// <summary>Each singular value's position in the order the subset code numbers them: layer, kind, head, index (insertion-ordered).</summary>
    private static Dictionary<SingularValueId, int> Positions(SingularValueScores scores, long layers, IReadOnlyList<WeightKind> kinds)
    {
        var byId = scores.Attribution.Projections.ToDictionary(p => p.Projection);
        var positions = new Dictionary<SingularValueId, int>();
        for (var layer = 0; layer < layers; layer++)
            foreach (var kind in kinds)
            {
                var p = byId[new ProjectionId(layer, kind)];
                for (var h = 0; h < p.Scores.Length; h++)
                    for (var i = 0; i < p.Scores[h].Length; i++)
                        positions[p.IdOf(h, i)] = positions.Count;
            }
        if (positions.Count != scores.Count) throw new InvalidOperationException($"The scores cover {scores.Count} singular values, but layers × kinds hold {positions.Count}.");
        return positions;
    }

    /// <summary>
    /// Writes each edited projection's bias shift (b' − b) in half precision, in the program's order, and gives the
    /// pruned model the rounded shift the program will add: 16 bits per bias entry.
    /// </summary>
    private static void SendBiasesInHalfPrecision(LLMML.LanguageModels.Generation.LanguageModel original, LLMML.LanguageModels.Generation.LanguageModel pruned, IEnumerable<ProjectionId> projections, PayloadWriter payload)
    {
        foreach (var id in projections)
        {
            using var scope = NewDisposeScope();
            using var before = ModelWeights.Get(original.Model, id.Layer, id.Kind);
            using var after = ModelWeights.Get(pruned.Model, id.Layer, id.Kind);
            var shift = after.Bias! - before.Bias!;
            WeightQuantisation.Write(payload, shift, 16);
            ModelWeights.Set(pruned.Model, id.Layer, id.Kind, null, after.Weight, before.Bias! + WeightQuantisation.RoundTrip(shift, 16));
        }
    }
}
