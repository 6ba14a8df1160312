namespace LLMML.MLNet.Tasks;

/// <summary>
/// One task row. <see cref="Answer"/> carries no leading space; what a language model should produce after
/// <see cref="Prompt"/> is <see cref="TaskFormat.Continuation"/>(Answer), i.e. " " + Answer.
/// </summary>
/// <param name="Prompt">The text given to the model, ending right before the answer (no trailing space).</param>
/// <param name="Answer">The expected answer, e.g. "12" or "yes".</param>
public sealed record TaskExample(string Prompt, string Answer);

/// <summary>
/// How answers attach to prompts, for every task. Decision: <see cref="TaskExample.Answer"/> is stored without
/// a leading space ("12", not " 12") and the model's expected continuation is <see cref="AnswerSeparator"/> + Answer.
/// Why: answers double as class names (key values, slot names, JSON output, exact-match targets) where a
/// leading space is noise; and the space is a tokenizer-facing detail — GPT-2's BPE encodes " 12" as its own
/// tokens, a character model simply sees a space — so one rule applied by the scorer serves both.
/// </summary>
public static class TaskFormat
{
    /// <summary>Text between a prompt and its answer.</summary>
    public const string AnswerSeparator = " ";

    /// <summary>The text a model should produce after the prompt: " " + <paramref name="answer"/>.</summary>
    public static string Continuation(string answer) => AnswerSeparator + answer;

    /// <summary>Prompt followed by the answer, as seen in training text.</summary>
    public static string FullText(string prompt, string answer) => prompt + Continuation(answer);
}
