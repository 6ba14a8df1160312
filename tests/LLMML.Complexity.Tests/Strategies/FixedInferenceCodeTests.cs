using System.Text;
using LLMML.Complexity.Strategies;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LLMML.Complexity.Tests.Strategies;

public class FixedInferenceCodeTests
{
    public static TheoryData<string> Names => new(FixedInferenceCode.BuiltInNames);

    [Theory]
    [MemberData(nameof(Names))]
    public void ABuiltInProgramIsItsRepositoryFileByteForByte(string name)
    {
        var code = FixedInferenceCode.BuiltIn(name);
        var file = Path.Combine(RepositoryRoot(), "src", "LLMML.Complexity", "Programs", name + ".cs");
        var stored = File.ReadAllBytes(file);
        Encoding.UTF8.GetBytes(code.Text).Should().Equal(stored);
        code.Bytes.Should().Be(stored.Length);
        var length = new ProgramLength(code, 5);
        length.Bits.Should().Be(8L * stored.Length + 5);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ABuiltInProgramCompilesAndUsesNoStrategyOrEvaluatorCode(string name)
    {
        var code = FixedInferenceCode.BuiltIn(name);
        ProgramRunner.Compile(code).Should().NotBeNull();
        var usings = CSharpSyntaxTree.ParseText(code.Text).GetRoot().DescendantNodes().OfType<UsingDirectiveSyntax>().Select(u => u.Name!.ToString()).ToArray();
        usings.Should().NotBeEmpty();
        // The model, the library's general API and .NET are free; the code that builds programs and scores them is not.
        usings.Should().NotContain(u => u.StartsWith("LLMML.Complexity.Strategies") || u.StartsWith("LLMML.Complexity.Evaluation") || u.StartsWith("LLMML.Complexity.Metrics"));
        code.Text.Should().NotContain("Strategy").And.NotContain("ComplexityProgram");
    }

    [Fact]
    public void PaperAccountingUsesTheAuthorsScriptSizesWhereTheyHaveOne()
    {
        var code = FixedInferenceCode.BuiltIn("lora");
        new ProgramLength(code, 100, PaperScriptBytes: ProgramLength.PaperLora).PaperFixedCodeBits.Should().Be(8 * 354);
        new ProgramLength(code, 100).PaperFixedCodeBits.Should().Be(8L * code.Bytes);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LLMML.sln"))) return dir.FullName;
        throw new InvalidOperationException("LLMML.sln not found above the test directory.");
    }
}
