using LLMML.LanguageModels.Generation;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// One program a strategy proposes: at test time it runs <see cref="Model"/> on <see cref="PromptPrefix"/> + each
/// test prompt. Valid until the strategy's enumerator moves on.
/// </summary>
/// <param name="Configuration">What distinguishes it within its strategy, e.g. "k=4" or "r=4 bits=8".</param>
/// <param name="Length">Its length: fixed inference code + payload.</param>
/// <param name="Model">The model it computes with (the context's model, or one the strategy trained).</param>
/// <param name="PromptPrefix">Text put before every test prompt ("" for none).</param>
public sealed record ComplexityProgram(string Configuration, ProgramLength Length, LanguageModel Model, string PromptPrefix = "")
{
    /// <summary>Numbers worth reporting with the run (training steps, final loss, ideal code length).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();
}
