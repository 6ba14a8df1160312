namespace LLMML.LanguageModels.Answers;

/// <summary>
/// One supervised example as token ids: the prompt, and the continuation a model should produce after it.
/// Built by <see cref="Generation.LanguageModel.EncodeContinuation"/>, so tokens merged across the prompt/answer
/// boundary are split the way the model sees them.
/// </summary>
/// <param name="Prompt">Prompt ids (non-empty; an empty prompt is a lone BOS).</param>
/// <param name="Answer">Continuation ids (non-empty).</param>
public sealed record PromptAnswerTokens(int[] Prompt, int[] Answer)
{
    /// <summary>Prompt and answer together.</summary>
    public int Length => Prompt.Length + Answer.Length;
}
