using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Generation;

namespace LLMML.Complexity.Metrics;

/// <summary>How well a program solves the task: a number in [<see cref="Minimum"/>, <see cref="Maximum"/>], higher is better.</summary>
public interface IComplexityMetric
{
    /// <summary>Name in reports, e.g. "exact-match".</summary>
    string Name { get; }

    double Minimum { get; }

    double Maximum { get; }

    /// <summary>Scores <paramref name="model"/> on <paramref name="promptPrefix"/> + each test prompt.</summary>
    double Score(LanguageModel model, string promptPrefix, EvaluationSet test, IProgress<ProgressUpdate>? progress, string stage, CancellationToken cancellationToken);
}
