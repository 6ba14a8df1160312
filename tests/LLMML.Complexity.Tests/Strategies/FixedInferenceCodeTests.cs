using System.Text;
using LLMML.Complexity.Strategies;

namespace LLMML.Complexity.Tests.Strategies;

public class FixedInferenceCodeTests
{
    [Fact]
    public void RenderFillsEveryPlaceholderAndRejectsStrayValues()
    {
        var code = new FixedInferenceCode("train(M, lr={lr}, steps={steps})");
        code.Render(("lr", 0.0003), ("steps", 200)).Should().Be("train(M, lr=0.0003, steps=200)");
        var missing = () => code.Render(("lr", 1));
        missing.Should().Throw<ArgumentException>().WithMessage("*{steps}*");
        var stray = () => code.Render(("lr", 1), ("steps", 2), ("rank", 3));
        stray.Should().Throw<ArgumentException>().WithMessage("*{rank}*");
    }

    [Theory]
    [InlineData("plain-prompt")]
    [InlineData("coded-prefix")]
    [InlineData("prequential")]
    [InlineData("lora")]
    [InlineData("full-fine-tune")]
    public void BuiltInProgramsAreShippedAndCountedInUtf8Bytes(string name)
    {
        var code = FixedInferenceCode.BuiltIn(name);
        code.Template.Should().Contain("print(greedy(M");
        var length = new ProgramLength(code.Template, 5);
        length.FixedCodeBits.Should().Be(8 * Encoding.UTF8.GetBytes(code.Template).Length);
        length.Bits.Should().Be(length.FixedCodeBits + 5);
    }
}
