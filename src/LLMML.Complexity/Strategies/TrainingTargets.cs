using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// What the training strategies teach: the prompt → " " + answer + EOS. The EOS target makes a trained model end its
/// answer (the first-word metric reads the token after it; trained on the answer alone, a model learns to keep
/// adding digits), and it costs the prequential code nothing, since every coded row ends with EOS anyway.
/// </summary>
public static class TrainingTargets
{
    public static PromptAnswerTokens For(LanguageModel model, TaskExample example)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(example);
        var tokens = model.EncodeContinuation(example.Prompt, TaskFormat.Continuation(example.Answer));
        return model.EndOfSequenceIds.Count == 0 ? tokens : new PromptAnswerTokens(tokens.Prompt, [.. tokens.Answer, model.EndOfSequenceIds[0]]);
    }
}
