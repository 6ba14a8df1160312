using System.Diagnostics;
using LLMML.Eigenpruning.Baselines;
using LLMML.Eigenpruning.Pruning;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;

namespace LLMML.Eigenpruning.Comparison;

/// <summary>
/// Runs eigenpruning and the chosen baselines, each on its own copy of the model, on the same training examples, and
/// scores every result on the same test examples (METHODS.md §1: report accuracy and wall time for each).
/// </summary>
public static class EigenpruneComparison
{
    /// <summary>The four baselines of the paper's comparison, with their default budgets.</summary>
    public static IReadOnlyList<IAdaptationBaseline> AllBaselines(int seed = 0) =>
        [new RandomPruningBaseline(seed), new LaserBaseline(), new LoraBaseline(), new SingularValueTuningBaseline()];

    /// <summary>Compares on <paramref name="train"/> → <paramref name="test"/>; <paramref name="model"/> itself is not modified.</summary>
    /// <param name="closedSetAccuracy">Optional extra score of an adapted model (e.g. ML.NET multiclass accuracy over the answer set).</param>
    public static ComparisonReport Run(
        LanguageModel model, IReadOnlyList<PromptAnswerTokens> train, IReadOnlyList<PromptAnswerTokens> test, EigenpruneSettings options,
        IReadOnlyList<IAdaptationBaseline> baselines, Func<LanguageModel, double>? closedSetAccuracy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var original = Evaluate("original", model, test, options, 0, 0, "the model as given", closedSetAccuracy, cancellationToken);
        using var pruned = model.Clone();
        var report = Eigenpruner.Prune(pruned, train, options, cancellationToken);
        var eigenprune = Evaluate("eigenprune", pruned, test, options, report.Seconds, report.Pruned.Count, Describe(report, options), closedSetAccuracy, cancellationToken);
        var results = RunBaselines(model, train, test, options, report, baselines, closedSetAccuracy, cancellationToken);
        return new ComparisonReport(train.Count, test.Count, original, eigenprune, results, report);
    }

    /// <summary>Each baseline on its own copy of <paramref name="model"/>, timed and scored on <paramref name="test"/>.</summary>
    public static IReadOnlyList<MethodResult> RunBaselines(
        LanguageModel model, IReadOnlyList<PromptAnswerTokens> train, IReadOnlyList<PromptAnswerTokens> test, EigenpruneSettings options,
        EigenpruneReport eigenprune, IReadOnlyList<IAdaptationBaseline> baselines, Func<LanguageModel, double>? closedSetAccuracy = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        var context = new BaselineContext(train, options, eigenprune, options.Progress, cancellationToken);
        var results = new List<MethodResult>();
        foreach (var baseline in baselines)
        {
            using var copy = model.Clone();
            var clock = Stopwatch.StartNew();
            var run = baseline.Adapt(copy, context);
            var seconds = clock.Elapsed.TotalSeconds;
            results.Add(Evaluate(baseline.Name, copy, test, options, seconds, run.Parameters, run.Details, closedSetAccuracy, cancellationToken));
        }
        return results;
    }

    /// <summary>Scores one adapted model on the test examples.</summary>
    public static MethodResult Evaluate(
        string method, LanguageModel model, IReadOnlyList<PromptAnswerTokens> test, EigenpruneSettings options, double seconds, long parameters,
        string details, Func<LanguageModel, double>? closedSetAccuracy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (test.Count == 0) throw new ArgumentException("There are no test examples to compare on.", nameof(test));
        var metrics = AnswerEvaluator.Evaluate(model, test, Math.Max(options.BatchSize, 32), options.Progress, cancellationToken, $"evaluate {method}");
        return new MethodResult(method, metrics.Accuracy, metrics.MeanLogLikelihood, closedSetAccuracy?.Invoke(model), seconds, parameters, details);
    }

    /// <summary>"N of M singular values of k (all layers, per head), Max reduction, Mean ablation".</summary>
    public static string Describe(EigenpruneReport report, EigenpruneSettings options) =>
        $"{report.Pruned.Count} of {report.Candidates} singular values of {options.DescribeMatrices()}, {options.Reduction} reduction, {options.Ablation} ablation";
}
