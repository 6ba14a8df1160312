using LLMML.Foundation.Progress;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Tasks;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Evaluation;

/// <summary>Log-likelihood (natural log, summed over tokens) and token count of each continuation given its prompt.</summary>
public delegate (double LogLikelihood, int TokenCount)[] ContinuationLogLikelihoods(IReadOnlyList<string> prompts, IReadOnlyList<string> continuations);

/// <summary>Greedy (or any) generation: one completion per prompt.</summary>
public delegate string[] GenerateCompletions(IReadOnlyList<string> prompts);

/// <summary>
/// The other two mappings an LM scorer needs besides <see cref="ClosedSetScoring"/>, built from one torch-side delegate
/// each: the log-likelihood of the gold answer (<c>AnswerLogLikelihood</c>, <c>AnswerTokenCount</c>) and a generated
/// completion (<c>Generated</c>), which <see cref="LlmMetrics"/> and <see cref="LlmEvaluator"/> aggregate.
/// </summary>
public static class LmOutputMappings
{
    /// <summary>Prompt + Answer → AnswerLogLikelihood (Single) and AnswerTokenCount (Int32); continuations are " " + Answer.</summary>
    public static BatchedMapping AnswerLikelihood(
        ContinuationLogLikelihoods score,
        int batchSize = 16,
        IProgress<ProgressUpdate>? progress = null,
        Func<IDisposable>? batchScope = null,
        string promptColumn = TaskDataViews.PromptColumn,
        string answerColumn = TaskDataViews.AnswerColumn)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new BatchedMapping("answer log-likelihood",
            [BatchInputColumn.Text(promptColumn), BatchInputColumn.Text(answerColumn)],
            [
                BatchOutputColumn.Create<float>(LlmMetrics.AnswerLogLikelihoodColumn, NumberDataViewType.Single),
                BatchOutputColumn.Create<int>(LlmMetrics.AnswerTokenCountColumn, NumberDataViewType.Int32),
            ],
            (input, output) =>
            {
                var prompts = input.Get<ReadOnlyMemory<char>>(promptColumn).Select(p => p.ToString()).ToArray();
                var continuations = input.Get<ReadOnlyMemory<char>>(answerColumn).Select(a => TaskFormat.Continuation(a.ToString())).ToArray();
                var result = score(prompts, continuations);
                if (result is null || result.Length != prompts.Length)
                    throw new InvalidOperationException($"The scorer returned {result?.Length ?? 0} results for {prompts.Length} rows.");
                var ll = output.Get<float>(LlmMetrics.AnswerLogLikelihoodColumn);
                var tokens = output.Get<int>(LlmMetrics.AnswerTokenCountColumn);
                for (int i = 0; i < result.Length; i++)
                {
                    if (double.IsNaN(result[i].LogLikelihood) || result[i].LogLikelihood > 1e-6 || result[i].TokenCount < 1)
                        throw new InvalidOperationException($"Row {input.FirstPosition + i}: log-likelihood {result[i].LogLikelihood} over {result[i].TokenCount} tokens is impossible.");
                    ll[i] = (float)result[i].LogLikelihood;
                    tokens[i] = result[i].TokenCount;
                }
            }, batchSize, progress, batchScope);
    }

    /// <summary>Prompt → Generated (text).</summary>
    public static BatchedMapping Generation(
        GenerateCompletions generate,
        int batchSize = 16,
        IProgress<ProgressUpdate>? progress = null,
        Func<IDisposable>? batchScope = null,
        string promptColumn = TaskDataViews.PromptColumn)
    {
        ArgumentNullException.ThrowIfNull(generate);
        return new BatchedMapping("generation",
            [BatchInputColumn.Text(promptColumn)],
            [BatchOutputColumn.Create<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn, TextDataViewType.Instance)],
            (input, output) =>
            {
                var prompts = input.Get<ReadOnlyMemory<char>>(promptColumn).Select(p => p.ToString()).ToArray();
                var completions = generate(prompts);
                if (completions is null || completions.Length != prompts.Length)
                    throw new InvalidOperationException($"The generator returned {completions?.Length ?? 0} completions for {prompts.Length} prompts.");
                var generated = output.Get<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn);
                for (int i = 0; i < completions.Length; i++) generated[i] = (completions[i] ?? "").AsMemory();
            }, batchSize, progress, batchScope);
    }
}
