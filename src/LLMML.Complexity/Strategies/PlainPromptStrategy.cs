namespace LLMML.Complexity.Strategies;

/// <summary>The model as it is, on the task's own prompts: no payload, only the inference code (Programs/plain.cs).</summary>
public sealed class PlainPromptStrategy : IComplexityStrategy
{
    public const string StrategyName = "plain";

    public string Name => StrategyName;

    /// <summary>The inference program.</summary>
    public FixedInferenceCode Code { get; } = FixedInferenceCode.BuiltIn("plain");

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        yield return new ComplexityProgram("-", new ProgramLength(Code, 0, PaperScriptBytes: ProgramLength.PaperPlain), context.Model);
    }
}
