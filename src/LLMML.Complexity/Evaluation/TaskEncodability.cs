using LLMML.Complexity.Coding;
using LLMML.Complexity.Metrics;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Evaluation;

/// <summary>
/// Refuses a model whose tokenizer cannot represent the task (e.g. characters outside a character tokenizer's
/// alphabet, which a non-strict tokenizer turns into &lt;unk&gt;): coding and scoring such rows would measure the wrong text.
/// </summary>
internal static class TaskEncodability
{
    public static void Check(string modelName, LanguageModel model, EvaluationSet train, EvaluationSet test)
    {
        var coder = new LanguageModelCoder(model);
        foreach (var (split, set) in new[] { ("train", train), ("test", test) })
            for (var i = 0; i < set.Count; i++)
            {
                var example = set.Examples[i];
                try
                {
                    coder.Tokens(TaskFormat.FullText(example.Prompt, example.Answer));
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"Model '{modelName}' cannot encode the task ({split} row {i}): {e.Message}", nameof(model), e);
                }
            }
    }
}
