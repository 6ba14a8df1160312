using LLMML.Complexity.Coding;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// A program whose payload is a text put before every test prompt, arithmetic-coded under the model itself in a
/// window of the model's context (Programs/prefix.cs decodes it): hand-written prompts and in-context examples.
/// </summary>
internal static class CodedPrefix
{
    private static readonly FixedInferenceCode Code = FixedInferenceCode.BuiltIn("prefix");

    public static ComplexityProgram Program(StrategyContext context, string prefix, string configuration)
    {
        var coder = new LanguageModelCoder(context.Model);
        var coded = coder.EncodeText(prefix);
        var length = new ProgramLength(Code, coded.Bits.BitLength, coded.IdealBits, ProgramLength.PaperInContext);
        return new ComplexityProgram(configuration, length, context.Model, prefix)
        {
            Payload = coded.Bits,
            Details = new Dictionary<string, double> { ["codedTokens"] = coded.TokenCount },
        };
    }
}
