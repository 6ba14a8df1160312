using LLMML.Complexity.Coding;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// A program whose payload is a text put before every test prompt, arithmetic-coded under the model itself
/// (Programs/coded-prefix.txt): hand-written prompts and in-context examples.
/// </summary>
internal static class CodedPrefix
{
    private static readonly FixedInferenceCode Code = FixedInferenceCode.BuiltIn("coded-prefix");

    public static ComplexityProgram Program(StrategyContext context, string prefix, string configuration)
    {
        var coder = new LanguageModelCoder(context.Model);
        var coded = coder.EncodeText(prefix);
        var length = new ProgramLength(Code.Render(("width", coder.Width)), coded.Bits.BitLength, coded.IdealBits);
        return new ComplexityProgram(configuration, length, context.Model, prefix)
        {
            Details = new Dictionary<string, double> { ["codedTokens"] = coded.TokenCount },
        };
    }
}
