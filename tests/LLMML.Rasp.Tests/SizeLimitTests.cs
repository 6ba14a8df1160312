using System.Text;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Syntax;
using LLMML.Rasp.Torch;

namespace LLMML.Rasp.Tests;

/// <summary>
/// The compiler predicts the assembled model's size from the sparse IR and refuses a program
/// whose model would pass <see cref="RaspCompilerOptions.MaxParameters"/> before the dense
/// matrices are allocated (a chain of N SequenceMaps grows as N²).
/// </summary>
public class SizeLimitTests
{
    public static TheoryData<string> LibraryPrograms() => [.. ProgramCatalog.All.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(LibraryPrograms))]
    public void Predicted_parameter_count_equals_the_assembled_tensors(string name)
    {
        var entry = ProgramCatalog.Get(name);
        var compiled = RaspCompiler.Compile(entry.Build(5), new RaspCompilerOptions { Vocabulary = entry.Vocabulary, MaxLength = 5, Causal = entry.Causal });
        using var model = CompiledModel.Assemble(compiled);
        compiled.ParameterCount.Should().Be(model.ParameterCount); // TorchSharp's numel over every weight
    }

    private static string Chain(int lines)
    {
        var text = new StringBuilder("x0 = map(lambda t: t, tokens)\n");
        for (var i = 1; i < lines; i++) text.Append($"x{i} = sequence_map(lambda a, b: a, x{i - 1}, tokens)\n");
        return text.ToString();
    }

    [Fact]
    public void A_long_sequence_map_chain_is_refused_naming_the_node_that_passes_the_limit()
    {
        var program = RaspScript.Parse(Chain(10_000));
        var options = new RaspCompilerOptions { Vocabulary = RandomInputs.Chars("ab"), MaxLength = 4 };
        var act = () => RaspCompiler.Compile(program, options);
        var error = act.Should().Throw<RaspCompileException>().Which;
        // Node k needs k layers over a residual of ~2k dimensions; the first k past 10⁸ weights is in the thousands.
        error.Node.Should().MatchRegex(@"^sequence_map 'x\d{4}'$");
        error.Message.Should().Contain("MaxParameters").And.Contain("10,000 layers").And.NotContain("\n");
    }

    [Fact]
    public void The_limit_is_overridable_and_the_named_node_is_where_the_prefix_passes_it()
    {
        var program = RaspScript.Parse(Chain(40));
        var vocab = RandomInputs.Chars("ab");
        var full = RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 4 });
        // The prefix ending at x19 is itself a compilable program: its size is where the limit must bite.
        var prefix = RaspCompiler.Compile(RaspScript.Parse(Chain(20)), new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 4 });
        var below = RaspCompiler.Compile(RaspScript.Parse(Chain(19)), new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 4 });
        var act = () => RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 4, MaxParameters = below.ParameterCount });
        act.Should().Throw<RaspCompileException>().Which.Node.Should().Be("sequence_map 'x19'");
        prefix.ParameterCount.Should().BeGreaterThan(below.ParameterCount);
        RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 4, MaxParameters = full.ParameterCount })
            .ParameterCount.Should().Be(full.ParameterCount);
    }

    private static RaspCompilerOptions Numbers(int vocabulary, int maxLength, long maxParameters) => new()
    {
        Vocabulary = Enumerable.Range(0, vocabulary).Select(i => (RaspValue)i).ToList(), MaxLength = maxLength, MaxParameters = maxParameters,
    };

    [Fact]
    public void A_pair_table_past_the_limit_is_refused_before_its_matrices_exist()
    {
        // 50 × 50 pairs, each writing a one-hot of {0, 1}: 2,500 units reading 101 directions.
        var product = RaspOps.SequenceMap((a, b) => (a * b) % 2, RaspOps.Tokens, RaspOps.Indices, "parity").Named("parity");
        var act = () => RaspCompiler.Compile(product, Numbers(50, 50, 200_000));
        act.Should().Throw<RaspCompileException>().Where(e => e.Node == "sequence_map 'parity'" && e.Message.Contains("its MLP alone needs at least 257,500 weights"));
        RaspCompiler.Compile(product, Numbers(50, 50, 1_000_000)).MaxMlpHidden.Should().Be(2500);
    }

    [Fact]
    public void Too_many_input_pairs_or_values_are_refused_while_inferring_value_sets()
    {
        var pairs = RaspOps.SequenceMap((a, b) => a + 1000 * b, RaspOps.Tokens, RaspOps.Indices, "pack").Named("pack");
        FluentActions.Invoking(() => RaspCompiler.Compile(pairs, Numbers(300, 300, 50_000)))
            .Should().Throw<RaspCompileException>().Where(e => e.Node == "sequence_map 'pack'" && e.Message.Contains("300 × 300 input values"));
        // 300 × 100 = 30,000 pairs pass, but 30,000 distinct values are 30,000 dimensions embedded at 403 rows each.
        FluentActions.Invoking(() => RaspCompiler.Compile(pairs, Numbers(300, 100, 1_000_000)))
            .Should().Throw<RaspCompileException>().Where(e => e.Node == "sequence_map 'pack'" && e.Message.Contains("30,000 values"));
    }
}
