using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Syntax;

namespace LLMML.Rasp.Tests;

/// <summary>The .rasp text syntax: programs parse to the same behaviour as the library; errors carry line and column.</summary>
public class SyntaxTests
{
    private static string ProgramFile(string name) => Path.Combine(AppContext.BaseDirectory, "Programs", name);

    [Fact]
    public void Reverse_file_behaves_like_the_library_and_compiles()
    {
        var program = RaspScript.Load(ProgramFile("reverse.rasp"));
        program.Label.Should().Be("reverse");
        var library = RaspLibrary.Reverse(RaspOps.Tokens);
        var vocab = RandomInputs.Chars("abc");
        var compiled = RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 5 });
        foreach (var input in RandomInputs.Generate(vocab, 5, 20, seed: 3))
        {
            RaspEvaluator.Evaluate(program, input).Should().Equal(RaspEvaluator.Evaluate(library, input));
            IrInterpreter.Evaluate(compiled, input).Should().Equal(input.Reverse());
        }
    }

    [Fact]
    public void Frac_prevs_file_gives_the_hello_fact()
    {
        var program = RaspScript.Load(ProgramFile("frac_prevs.rasp"));
        program.Encoding.Should().Be(RaspEncoding.Numerical);
        var r = RaspEvaluator.Evaluate(program, RandomInputs.Chars("xyxxy"));
        r.Select(v => v.Number).Should().Equal(new[] { 1, 0.5, 2.0 / 3, 0.75, 0.6 }, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Operators_selectors_and_builtins()
    {
        var program = RaspScript.Parse("""
            lt = select(indices, indices, LT)
            gt = select(indices, indices, GT)
            w = selector_width(lt or gt)
            big = map(lambda x: max(x, 2) * 10 % 7, w)
            out = big + indices - 1
            """);
        var r = RaspEvaluator.Evaluate(program, RandomInputs.Chars("abcd"));
        // w = 3 everywhere; max(3,2)*10 % 7 = 2; plus index minus 1
        r.Should().Equal(RandomInputs.Numbers(1, 2, 3, 4));
    }

    [Theory]
    [InlineData("x = map(lambda t: t + 1, tokens\n", 2, 1, "expected")]
    [InlineData("a = selector_width(select(tokens, tokens, TRUE))\nb = frobnicate(a)", 2, 5, "unknown name 'frobnicate'")]
    [InlineData("a = 1 +\n", 1, 8, "expected a value")]
    [InlineData("a = \"open", 1, 5, "unterminated string")]
    [InlineData("a = select(tokens, tokens, TRUE)\nb = aggregate(a, tokens, 1, 2)", 2, 14, "aggregate takes")]
    [InlineData("a = tokens $ 2", 1, 12, "unexpected character")]
    public void Errors_carry_line_and_column(string text, int line, int column, string message)
    {
        var act = () => RaspScript.Parse(text);
        var e = act.Should().Throw<RaspSyntaxException>().Which;
        e.Message.Should().Contain(message);
        (e.Line, e.Column).Should().Be((line, column));
    }
}
