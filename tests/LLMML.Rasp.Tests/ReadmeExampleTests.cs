using LLMML.Rasp.Compiler;
using LLMML.Rasp.Language;
using LLMML.Rasp.Torch;
using static LLMML.Rasp.Language.RaspOps;

namespace LLMML.Rasp.Tests;

/// <summary>The README's example compiles and does what it says.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void Reverse_example()
    {
        var length = SelectorWidth(Select(Tokens, Tokens, Comparison.TRUE)).Named("length");
        var opp = (length - Indices - 1).Named("opp_idx");
        var reverse = Aggregate(Select(Indices, opp, Comparison.EQ), Tokens).Named("reverse");

        var ir = RaspCompiler.Compile(reverse, new RaspCompilerOptions { Vocabulary = ["a", "b", "c"], MaxLength = 5 });
        using var model = CompiledModel.Assemble(ir);
        var output = model.Run([["a", "b", "c"]]);
        output[0].Should().Equal("c", "b", "a");
    }
}
