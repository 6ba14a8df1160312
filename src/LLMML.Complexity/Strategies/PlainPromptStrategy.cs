namespace LLMML.Complexity.Strategies;

/// <summary>The model as it is, on the task's own prompts: no payload, only the inference code.</summary>
public sealed class PlainPromptStrategy : IComplexityStrategy
{
    public const string StrategyName = "plain";

    public string Name => StrategyName;

    /// <summary>The decoding program (Programs/plain-prompt.txt).</summary>
    public FixedInferenceCode Code { get; } = FixedInferenceCode.BuiltIn("plain-prompt");

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        yield return new ComplexityProgram("-", new ProgramLength(Code.Render(), 0), context.Model);
    }
}
