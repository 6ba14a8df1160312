using System.Text.Json.Serialization;
using LLMML.Complexity.Metrics;
using LLMML.Foundation.Progress;
using LLMML.Complexity.Strategies;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using LLMML.Scoring.Hosting;

namespace LLMML.Complexity.Evaluation;

/// <summary>Settings of <c>mlContext.Llm().Complexity(...)</c>: models, strategies, metric, targets δ and budgets.</summary>
public sealed class ComplexityOptions
{
    /// <summary>Task name in the report.</summary>
    public string TaskName { get; set; } = "task";

    /// <summary>The models, in report order (the ratio table divides earlier by later ones).</summary>
    [JsonIgnore]
    public IList<ComplexityModel> Models { get; set; } = [];

    /// <summary>The strategies; default <see cref="DefaultStrategies"/> for <see cref="TaskName"/>.</summary>
    [JsonIgnore]
    public IList<IComplexityStrategy>? Strategies { get; set; }

    /// <summary>The metric; default <see cref="FirstWordExactMatch"/>.</summary>
    [JsonIgnore]
    public IComplexityMetric Metric { get; set; } = new FirstWordExactMatch();

    /// <summary>The δ to report C(δ) for; each must lie in the metric's range.</summary>
    public IList<double> Targets { get; set; } = [0.25, 0.5, 0.75, 0.9];

    public ComplexityBudget Budget { get; set; } = new();

    /// <summary>
    /// Rows taken off the end of the training split as the validation split that strategies choose on (the prequential
    /// epoch); null = 10% of the split, at most 200; 0 = none (then the last epoch is taken).
    /// </summary>
    public int? ValidationRows { get; set; }

    /// <summary>The validation rows for a training split of <paramref name="trainCount"/> rows.</summary>
    public int ValidationSize(int trainCount) =>
        Math.Min(ValidationRows ?? Math.Min(200, trainCount / 10), Math.Max(0, trainCount - 1));

    /// <summary>Seed of training runs and adapter initialisation.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Text columns of both splits.</summary>
    public string PromptColumn { get; set; } = TaskDataViews.PromptColumn;

    public string AnswerColumn { get; set; } = TaskDataViews.AnswerColumn;

    /// <summary>Key-typed label column whose key values are the closed answer set (optional; closed-set metrics need it).</summary>
    public string LabelColumn { get; set; } = TaskDataViews.LabelColumn;

    /// <summary>Receives training steps and scoring batches of every run; not saved.</summary>
    [JsonIgnore]
    public IProgress<ProgressUpdate>? Progress { get; set; }

    /// <summary>Checked between programs and training steps; not saved.</summary>
    [JsonIgnore]
    public CancellationToken CancellationToken { get; set; }

    /// <summary>plain, prompt (hand-written prompts for the task), icl, prequential, lora, eigenprune (mask), full.</summary>
    public static IList<IComplexityStrategy> DefaultStrategies(string taskName) =>
    [
        new PlainPromptStrategy(),
        HandWrittenPromptStrategy.ForTask(taskName),
        new InContextExamplesStrategy(),
        new PrequentialTrainingStrategy(),
        new LoraStrategy(),
        new EigenpruneMaskStrategy(),
        new FullFineTuneStrategy(),
    ];

    /// <summary>Throws naming the first bad setting.</summary>
    public void Validate()
    {
        if (Models is null || Models.Count == 0) throw new ArgumentException("Give at least one model to evaluate.", nameof(Models));
        var duplicate = Models.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null) throw new ArgumentException($"Two models are named '{duplicate}'; give them distinct names.", nameof(Models));
        foreach (var model in Models) CheckpointSource.Require(model.Model, model.Directory, nameof(ComplexityModel));
        if (Strategies is { Count: 0 }) throw new ArgumentException("Give at least one strategy.", nameof(Strategies));
        ArgumentNullException.ThrowIfNull(Metric);
        ArgumentNullException.ThrowIfNull(Targets);
        foreach (var target in Targets)
            if (!(target >= Metric.Minimum && target <= Metric.Maximum))
                throw new ArgumentOutOfRangeException(nameof(Targets), $"Target δ = {target} is outside the range [{Metric.Minimum}, {Metric.Maximum}] of the metric '{Metric.Name}'.");
        if (ValidationRows < 0) throw new ArgumentOutOfRangeException(nameof(ValidationRows), "ValidationRows must not be negative.");
        ArgumentNullException.ThrowIfNull(Budget);
        Budget.Validate();
    }
}
