using LLMML.Complexity.Coding;
using LLMML.LanguageModels.Generation;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// One program a strategy proposes: its inference code and payload, and — to score it fast — the model and prompt
/// prefix the code computes with (<see cref="Model"/> on <see cref="PromptPrefix"/> + each test prompt). Running
/// <see cref="ProgramLength.Code"/> on the payload rebuilds exactly that model and prefix (tested). Valid until the
/// strategy's enumerator moves on.
/// </summary>
/// <param name="Configuration">What distinguishes it within its strategy, e.g. "k=4" or "r=4 bits=8".</param>
/// <param name="Length">Its length: inference code + payload.</param>
/// <param name="Model">The model it computes with (the context's model, or one the strategy trained).</param>
/// <param name="PromptPrefix">Text put before every test prompt ("" for none).</param>
public sealed record ComplexityProgram(string Configuration, ProgramLength Length, LanguageModel Model, string PromptPrefix = "")
{
    /// <summary>The payload file's bits (empty for none); its length is <see cref="ProgramLength.PayloadBits"/>.</summary>
    public CodedBits Payload { get; init; } = new([], 0);

    /// <summary>
    /// False for an alternative the strategy's own validation split did not choose (e.g. a prequential epoch that
    /// scored lower on validation): it is reported, but only the optimistic, chosen-on-test frontier may use it.
    /// </summary>
    public bool Selected { get; init; } = true;

    /// <summary>Numbers worth reporting with the run (training steps, final loss, ideal code length).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();
}
