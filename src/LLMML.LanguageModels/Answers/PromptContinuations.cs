namespace LLMML.LanguageModels.Answers;

/// <summary>One prompt's token ids and the token ids of the continuations to score after it.</summary>
/// <param name="Prompt">Prompt ids (non-empty).</param>
/// <param name="Continuations">Continuation ids (each non-empty).</param>
public sealed record PromptContinuations(int[] Prompt, IReadOnlyList<int[]> Continuations);
