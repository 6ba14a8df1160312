using LLMML.Foundation.Progress;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Tasks;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Evaluation;

/// <summary>
/// Log-likelihoods of the continuations " " + answer for every answer of a closed set, one row per prompt:
/// <c>result[row][candidate]</c> (natural log, summed over the continuation's tokens).
/// </summary>
public delegate double[][] CandidateLogLikelihoods(IReadOnlyList<string> prompts, IReadOnlyList<string> continuations);

/// <summary>
/// Turns next-token scoring over a closed answer set into ML.NET's multiclass columns: <c>Score</c>, a float
/// vector of the candidates' probabilities (softmax of their log-likelihoods, slot names = answers), and
/// <c>PredictedLabel</c>, a key over the same answers (the arg-max). With a task's key-typed <c>Label</c>, the
/// result goes straight into <c>mlContext.MulticlassClassification.Evaluate</c>. The LM scoring transformer
/// supplies only the <see cref="CandidateLogLikelihoods"/> (one batched forward pass).
/// </summary>
public static class ClosedSetScoring
{
    /// <summary>Column names ML.NET's multiclass evaluator looks for by default.</summary>
    public const string ScoreColumn = "Score", PredictedLabelColumn = "PredictedLabel";

    /// <summary>The <c>Score</c> and <c>PredictedLabel</c> output columns for <paramref name="answerSet"/>.</summary>
    public static IReadOnlyList<BatchOutputColumn> OutputColumns(IReadOnlyList<string> answerSet)
    {
        ArgumentNullException.ThrowIfNull(answerSet);
        if (answerSet.Count < 2) throw new ArgumentException("A closed answer set needs at least two answers.", nameof(answerSet));
        return [BatchOutputColumn.FloatVector(ScoreColumn, answerSet.Count, answerSet), BatchOutputColumn.Key(PredictedLabelColumn, answerSet)];
    }

    /// <summary>
    /// Probabilities (softmax, computed stably in double) and the 1-based arg-max key (first on ties) from the
    /// candidates' log-likelihoods. Non-finite log-likelihoods other than −∞ are rejected.
    /// </summary>
    public static (VBuffer<float> Score, uint PredictedLabel) ToScoreAndLabel(ReadOnlySpan<double> logLikelihoods)
    {
        if (logLikelihoods.Length == 0) throw new ArgumentException("No candidate log-likelihoods.", nameof(logLikelihoods));
        double max = double.NegativeInfinity;
        int best = 0;
        for (int i = 0; i < logLikelihoods.Length; i++)
        {
            var v = logLikelihoods[i];
            if (double.IsNaN(v) || double.IsPositiveInfinity(v))
                throw new ArgumentException($"Candidate {i} has log-likelihood {v}.", nameof(logLikelihoods));
            if (v > max)
            {
                max = v;
                best = i;
            }
        }
        var probabilities = new float[logLikelihoods.Length];
        if (double.IsNegativeInfinity(max))
        {
            Array.Fill(probabilities, 1f / probabilities.Length);
            return (new VBuffer<float>(probabilities.Length, probabilities), 1);
        }
        double sum = 0;
        for (int i = 0; i < logLikelihoods.Length; i++) sum += Math.Exp(logLikelihoods[i] - max);
        for (int i = 0; i < logLikelihoods.Length; i++) probabilities[i] = (float)(Math.Exp(logLikelihoods[i] - max) / sum);
        return (new VBuffer<float>(probabilities.Length, probabilities), (uint)(best + 1));
    }

    /// <summary>
    /// A batched mapping from a text <paramref name="promptColumn"/> to <c>Score</c> and <c>PredictedLabel</c>,
    /// calling <paramref name="score"/> once per batch with the prompts and the continuations of every answer.
    /// </summary>
    public static BatchedMapping CreateMapping(
        IReadOnlyList<string> answerSet,
        CandidateLogLikelihoods score,
        int batchSize = 16,
        string promptColumn = TaskDataViews.PromptColumn,
        IProgress<ProgressUpdate>? progress = null,
        string name = "closed-set answer scoring",
        Func<IDisposable>? batchScope = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        var outputs = OutputColumns(answerSet);
        var continuations = answerSet.Select(TaskFormat.Continuation).ToArray();
        return new BatchedMapping(name, [BatchInputColumn.Text(promptColumn)], outputs, (input, output) =>
        {
            var prompts = input.Get<ReadOnlyMemory<char>>(promptColumn).Select(p => p.ToString()).ToArray();
            var logLik = score(prompts, continuations);
            if (logLik is null || logLik.Length != prompts.Length)
                throw new InvalidOperationException($"The scorer returned {logLik?.Length ?? 0} rows for {prompts.Length} prompts.");
            var scores = output.Get<VBuffer<float>>(ScoreColumn);
            var predicted = output.Get<uint>(PredictedLabelColumn);
            for (int i = 0; i < prompts.Length; i++)
            {
                if (logLik[i] is null || logLik[i].Length != continuations.Length)
                    throw new InvalidOperationException($"The scorer returned {logLik[i]?.Length ?? 0} log-likelihoods for row {i}, expected {continuations.Length}.");
                (scores[i], predicted[i]) = ToScoreAndLabel(logLik[i]);
            }
        }, batchSize, progress, batchScope);
    }
}
