using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Metrics;

/// <summary>The rows a metric scores, and the closed answer set when the split has one (its Label's key values).</summary>
public sealed record EvaluationSet(IReadOnlyList<TaskExample> Examples, IReadOnlyList<string>? AnswerSet = null)
{
    public int Count => Examples.Count;
}
