using System.Text;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Passes;
using LLMML.Rasp.Syntax;

namespace LLMML.Rasp.Tests;

/// <summary>
/// .rasp programs a careless or malicious user might write: none may change the process-wide
/// primitives, overflow the stack (which kills the process), or fail without naming the line.
/// </summary>
public class HostileProgramTests
{
    private static readonly RaspValue[] Ab = RandomInputs.Chars("ab");
    private static RaspCompilerOptions Options(int n = 4) => new() { Vocabulary = Ab, MaxLength = n };

    [Fact]
    public void Assigning_tokens_or_indices_to_a_name_renames_nothing()
    {
        var program = RaspScript.Parse("x = tokens\ny = indices\nz = map(lambda t: t, x)");
        RaspOps.Tokens.Label.Should().Be("tokens");
        RaspOps.Indices.Label.Should().Be("indices");
        program.Label.Should().Be("z");
        RaspEvaluator.Evaluate(program, Ab).Should().Equal(Ab);
        // A later compile in the same process still finds tokens:a.
        var reverse = ProgramCatalog.Get("reverse");
        RaspCompiler.Compile(reverse.Build(4), new RaspCompilerOptions { Vocabulary = reverse.Vocabulary, MaxLength = 4 }).LayerCount.Should().BePositive();
    }

    [Fact]
    public void An_alias_of_a_named_sop_keeps_its_name()
    {
        var program = RaspScript.Parse("a = map(lambda t: t, tokens)\nb = a");
        program.Label.Should().Be("a");
    }

    [Theory]
    [InlineData("x = numerical(tokens)")]
    [InlineData("x = numerical(indices)")]
    public void Annotating_a_shared_primitive_is_refused_naming_the_line(string line)
    {
        var act = () => RaspScript.Parse("a = map(lambda t: t, tokens)\n" + line);
        act.Should().Throw<RaspSyntaxException>().Where(e => e.Line == 2 && e.Message.Contains("shared by every program"));
        RaspOps.Tokens.Encoding.Should().Be(RaspEncoding.Categorical);
        RaspOps.Indices.Encoding.Should().Be(RaspEncoding.Categorical);
        RaspScript.Parse("x = categorical(tokens)").Should().BeSameAs(RaspOps.Tokens);
    }

    [Fact]
    public void The_csharp_api_refuses_to_rename_or_annotate_a_shared_primitive()
    {
        FluentActions.Invoking(() => RaspOps.Tokens.Named("x")).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => RaspOps.Numerical(RaspOps.Indices)).Should().Throw<InvalidOperationException>();
        RaspOps.Tokens.Named("tokens").Should().BeSameAs(RaspOps.Tokens);
        RaspOps.Tokens.Label.Should().Be("tokens");
    }

    [Fact]
    public void A_recursive_lambda_is_refused_naming_its_line_when_called_at_parse_time()
    {
        var act = () => RaspScript.Parse("f = lambda t: f(t)\ny = map(lambda t: f(t), tokens)\nz = f(1)");
        act.Should().Throw<RaspSyntaxException>().Where(e => e.Line == 1 && e.Message.Contains($"deeper than {RaspScript.MaxDepth}"));
    }

    [Fact]
    public void A_recursive_lambda_is_refused_by_the_evaluator_and_the_compiler()
    {
        var program = RaspScript.Parse("f = lambda t: f(t)\ny = map(f, tokens)");
        FluentActions.Invoking(() => RaspEvaluator.Evaluate(program, Ab))
            .Should().Throw<RaspSyntaxException>().Where(e => e.Line == 1);
        FluentActions.Invoking(() => RaspCompiler.Compile(program, Options()))
            .Should().Throw<RaspCompileException>().Where(e => e.Node == "map 'y'" && e.Message.Contains("line 1"));
    }

    [Fact]
    public void Five_thousand_nested_parentheses_are_refused_naming_the_line()
    {
        var text = "a = map(lambda t: t, tokens)\nx = " + new string('(', 5000) + "tokens" + new string(')', 5000);
        var act = () => RaspScript.Parse(text);
        act.Should().Throw<RaspSyntaxException>().Where(e => e.Line == 2 && e.Message.Contains("nest deeper"));
    }

    [Fact]
    public void Twenty_thousand_chained_additions_are_refused_naming_the_line()
    {
        var text = "a = map(lambda t: t, tokens)\n\nx = tokens" + string.Concat(Enumerable.Repeat(" + 1", 20_000));
        var act = () => RaspScript.Parse(text);
        act.Should().Throw<RaspSyntaxException>().Where(e => e.Line == 3 && e.Message.Contains("nests deeper"));
    }

    [Fact]
    public void The_deepest_accepted_expressions_run_on_a_one_megabyte_stack()
    {
        // Just inside the limits: these must finish, not overflow, on a small thread stack.
        var depth = RaspScript.MaxDepth - 5;
        var parens = "x = " + new string('(', depth) + "tokens" + new string(')', depth);
        var chain = "x = tokens" + string.Concat(Enumerable.Repeat(" + 1", depth));
        var results = new List<object>();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                results.Add(RaspScript.Parse(parens));
                results.Add(RaspEvaluator.Evaluate(RaspScript.Parse(chain), RandomInputs.Numbers(1, 2)));
                results.Add(FluentActions.Invoking(() => RaspEvaluator.Evaluate(RaspScript.Parse("f = lambda t: f(t)\ny = map(f, tokens)"), Ab))
                    .Should().Throw<RaspSyntaxException>().Which);
            }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 1 << 20);
        thread.Start();
        thread.Join();
        failure.Should().BeNull();
        results[0].Should().BeSameAs(RaspOps.Tokens);
        results[1].Should().BeEquivalentTo(RandomInputs.Numbers(1 + depth, 2 + depth));
    }

    private static string Lines(string first, string each, int count)
    {
        var text = new StringBuilder(first).Append('\n');
        for (var i = 1; i < count; i++) text.Append(string.Format(each, i, i - 1)).Append('\n');
        return text.ToString();
    }

    [Fact]
    public void Twenty_thousand_map_lines_evaluate_and_compile_into_one_fused_mlp()
    {
        var program = RaspScript.Parse(Lines("x0 = map(lambda t: t + 1, tokens)", "x{0} = x{1} + 1", 20_000));
        var input = RandomInputs.Numbers(0, 1, 1, 0);
        RaspEvaluator.Evaluate(program, input).Should().Equal(RandomInputs.Numbers(20_000, 20_001, 20_001, 20_000));
        var compiled = RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = RandomInputs.Numbers(0, 1), MaxLength = 4 });
        compiled.LayerCount.Should().Be(1);
        IrInterpreter.Evaluate(compiled, input).Should().Equal(RandomInputs.Numbers(20_000, 20_001, 20_001, 20_000));
    }

    [Fact]
    public void Selectors_nested_too_deep_are_refused_naming_the_selector()
    {
        var program = RaspScript.Parse(Lines("s0 = select(tokens, tokens, EQ)", "s{0} = s{1} & select(tokens, tokens, EQ)", 150)
            + "w = selector_width(s149)");
        RaspEvaluator.Evaluate(program, Ab).Should().Equal(RandomInputs.Numbers(1, 1));
        var act = () => RaspCompiler.Compile(program, Options());
        act.Should().Throw<RaspCompileException>().Where(e => e.Message.Contains($"deeper than {SelectorSimplifier.MaxNesting}"));
    }
}
