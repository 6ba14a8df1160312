namespace LLMML.Complexity.Strategies;

/// <summary>
/// A way of turning a model into a task solver with a program of known length: a prompt, coded examples, a training
/// run whose data is coded, a quantised adapter, new weights. Add a strategy by implementing this interface: yield one
/// <see cref="ComplexityProgram"/> per configuration, with its <see cref="ProgramLength"/> (the fixed inference code's
/// text and the payload bits) and the model + prompt prefix the program computes with.
/// </summary>
/// <remarks>
/// Programs are pulled one at a time and scored before the next is asked for, so a strategy may reuse or dispose
/// what a program used once the enumerator moves on (e.g. one trained adapter, re-quantised per bit width).
/// The context's model must not be modified: train a <c>Clone()</c>.
/// </remarks>
public interface IComplexityStrategy
{
    /// <summary>Short name used in reports and on the command line, e.g. "lora".</summary>
    string Name { get; }

    /// <summary>The strategy's programs for <paramref name="context"/>'s model and training split.</summary>
    IEnumerable<ComplexityProgram> Programs(StrategyContext context);
}
