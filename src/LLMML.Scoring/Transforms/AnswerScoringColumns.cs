using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Mapping;
using Microsoft.ML.Data;

namespace LLMML.Scoring.Transforms;

/// <summary>The columns answer scoring reads and adds for given options (shared by estimator and transformer).</summary>
internal static class AnswerScoringColumns
{
    public static IReadOnlyList<BatchInputColumn> Inputs(ScoreAnswersOptions options) =>
        options.AnswerColumn is { } a ? [BatchInputColumn.Text(options.PromptColumn), BatchInputColumn.Text(a)] : [BatchInputColumn.Text(options.PromptColumn)];

    public static IReadOnlyList<BatchOutputColumn> Outputs(ScoreAnswersOptions options)
    {
        var outputs = new List<BatchOutputColumn>();
        if (options.AnswerSet is { } set) outputs.AddRange(ClosedSetScoring.OutputColumns(set));
        if (options.AnswerColumn is not null)
        {
            outputs.Add(BatchOutputColumn.Create<float>(LlmMetrics.AnswerLogLikelihoodColumn, NumberDataViewType.Single));
            outputs.Add(BatchOutputColumn.Create<int>(LlmMetrics.AnswerTokenCountColumn, NumberDataViewType.Int32));
        }
        if (options.Generate) outputs.Add(BatchOutputColumn.Create<ReadOnlyMemory<char>>(LlmMetrics.GeneratedColumn, TextDataViewType.Instance));
        return outputs;
    }
}
