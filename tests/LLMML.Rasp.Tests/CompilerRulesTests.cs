using LLMML.Rasp.Compiler;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using static LLMML.Rasp.Language.RaspOps;

namespace LLMML.Rasp.Tests;

/// <summary>Sizes against tracr's (METHODS.md) and the rules that reject programs.</summary>
public class CompilerRulesTests
{
    private static CompiledProgram Compile(SOp p, RaspValue[] vocab, int n, bool causal = false, bool fuse = true) =>
        RaspCompiler.Compile(p, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = n, Causal = causal, FuseMaps = fuse });

    [Fact]
    public void Reverse_123_len5_is_no_larger_than_tracr()
    {
        var c = Compile(RaspLibrary.Reverse(Tokens), RandomInputs.Numbers(1, 2, 3), 5);
        c.ResidualWidth.Should().BeLessThanOrEqualTo(41);
        c.LayerCount.Should().BeLessThanOrEqualTo(4);
        c.MaxHeads.Should().Be(1);
        c.MaxMlpHidden.Should().BeLessThanOrEqualTo(30);
    }

    [Fact]
    public void Reverse_without_optimisations_has_tracr_shape()
    {
        var c = RaspCompiler.Compile(RaspLibrary.Reverse(Tokens), new RaspCompilerOptions
        {
            Vocabulary = RandomInputs.Numbers(1, 2, 3), MaxLength = 5, FuseMaps = false, LinearSequenceMapDetection = false,
        });
        // tracr's numbers for this program (METHODS.md): d_model 41, 4 layers, 1 head, MLP hidden 30.
        // One dimension fewer: tracr gives PAD a token direction; here PAD embeds to zero and is masked.
        c.ResidualWidth.Should().Be(40);
        c.LayerCount.Should().Be(4);
        c.MaxHeads.Should().Be(1);
        c.MaxMlpHidden.Should().Be(30);
    }

    [Fact]
    public void Frac_prevs_xy_len3_is_no_larger_than_tracr()
    {
        var c = Compile(RaspLibrary.FracPrevs(Tokens == "x"), RandomInputs.Chars("xy"), 3);
        c.ResidualWidth.Should().BeLessThanOrEqualTo(10);
        c.LayerCount.Should().BeLessThanOrEqualTo(2);
    }

    [Fact]
    public void Every_residual_dimension_has_a_unique_label()
    {
        var c = Compile(RaspLibrary.ShuffleDyck(["()", "{}"]), RandomInputs.Chars("(){}"), 6);
        c.Layout.Directions.Select(d => d.Label).Should().OnlyHaveUniqueItems();
        c.Layout.Variables.Sum(v => v.Count).Should().Be(c.ResidualWidth);
        c.Layers.SelectMany(l => l.Mlps).SelectMany(m => m.Hidden).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Numerical_select_keys_are_rejected_naming_the_node()
    {
        var num = Numerical(Map(x => x, Tokens)).Named("num");
        var p = SelectorWidth(Select(num, Tokens, Comparison.EQ).Named("bad_select"));
        var act = () => Compile(p, RandomInputs.Numbers(1, 2), 4);
        act.Should().Throw<RaspCompileException>().Where(e => e.Node == "select 'bad_select'" && e.Rule.Contains("keys must be categorical"));
    }

    [Fact]
    public void Aggregate_encoding_mismatch_is_rejected()
    {
        var num = Numerical(Map(x => x, Tokens)).Named("num");
        var p = Aggregate(Select(Indices, Indices, Comparison.EQ), num).Named("agg");
        var act = () => Compile(p, RandomInputs.Numbers(1, 2), 4);
        act.Should().Throw<RaspCompileException>().WithMessage("aggregate 'agg'*output encoding must equal*");
    }

    [Fact]
    public void Numerical_sequence_map_is_rejected()
    {
        var num = Numerical(Map(x => x, Tokens)).Named("num");
        var p = SequenceMap((a, b) => a * b, num, Tokens).Named("prod");
        var act = () => Compile(p, RandomInputs.Numbers(1, 2), 4);
        act.Should().Throw<RaspCompileException>().WithMessage("sequence_map 'prod'*non-linear SequenceMap needs categorical inputs*");
    }

    [Fact]
    public void Composite_selector_over_different_sops_is_rejected()
    {
        var sel = (Select(Tokens, Tokens, Comparison.EQ) & Select(Indices, Indices, Comparison.LT)).Named("both");
        var act = () => Compile(SelectorWidth(sel), RandomInputs.Numbers(1, 2), 4);
        act.Should().Throw<RaspCompileException>().WithMessage("selector_and 'both'*same keys and queries*");
    }

    [Fact]
    public void Numerical_reader_of_a_none_default_aggregate_is_rejected()
    {
        var shifted = RaspLibrary.ShiftBy(1, Tokens);
        var p = Numerical(Map(x => x, shifted)).Named("as_number");
        var act = () => Compile(p, RandomInputs.Numbers(1, 2), 4);
        act.Should().Throw<RaspCompileException>().WithMessage("map 'as_number'*can be None*");
    }

    [Fact]
    public void Numerical_aggregate_needs_a_numeric_default()
    {
        var p = Numerical(Aggregate(Select(Indices, Indices, Comparison.LEQ), Numerical(Tokens == 1), "none")).Named("fp");
        var act = () => Compile(p, RandomInputs.Numbers(1, 2), 4);
        act.Should().Throw<RaspCompileException>().WithMessage("aggregate 'fp'*numeric default*");
    }

    [Fact]
    public void Negative_categorical_to_numerical_map_is_not_clipped()
    {
        var p = Numerical(Map(x => -2 * x, Tokens)).Named("neg");
        var c = Compile(p, RandomInputs.Numbers(1, 2, 3), 3);
        IrInterpreter.Evaluate(c, RandomInputs.Numbers(3, 1, 2)).Select(v => v.Number).Should().Equal(-6, -2, -4);
    }

    [Fact]
    public void Two_selector_widths_in_one_layer_keep_separate_bos_cleaning()
    {
        var a = SelectorWidth(Select(Tokens, Tokens, Comparison.EQ)).Named("w1");
        var b = SelectorWidth(Select(Tokens, Tokens, Comparison.LT)).Named("w2");
        var p = (a + b).Named("sum");
        var c = Compile(p, RandomInputs.Numbers(1, 2, 3), 6);
        c.Layers[0].Heads.Should().HaveCount(2);
        var input = RandomInputs.Numbers(3, 1, 3, 2);
        IrInterpreter.Evaluate(c, input).Should().Equal(Evaluation.RaspEvaluator.Evaluate(p, input));
    }

    [Fact]
    public void Long_selector_width_is_exact_at_length_40()
    {
        var c = Compile(RaspLibrary.Length(), RandomInputs.Chars("ab"), 40);
        var input = Enumerable.Repeat((RaspValue)"a", 40).ToArray();
        IrInterpreter.Evaluate(c, input).Should().OnlyContain(v => v == 40);
    }
}

/// <summary>Degenerate programs: no layers at all, constants, a causal Not.</summary>
public class CompilerEdgeCaseTests
{
    [Fact]
    public void Tokens_alone_compiles_to_zero_layers()
    {
        var vocab = RandomInputs.Chars("ab");
        var c = RaspCompiler.Compile(Tokens, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 4 });
        c.LayerCount.Should().Be(0);
        using var model = Torch.CompiledModel.Assemble(c);
        model.Run([RandomInputs.Chars("abba")])[0].Should().Equal(RandomInputs.Chars("abba"));
    }

    [Fact]
    public void Numerical_full_aggregated_with_a_default()
    {
        // Mean of a constant 3 over earlier positions, default 7 when none: numerical with a non-zero default.
        var p = Numerical(Aggregate(Select(Indices, Indices, Comparison.LT), Numerical(Full(3)), 7)).Named("m");
        var vocab = RandomInputs.Chars("ab");
        var c = RaspCompiler.Compile(p, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 4 });
        using var model = Torch.CompiledModel.Assemble(c);
        model.Run([RandomInputs.Chars("abab")])[0].Select(v => v.Number).Should().Equal(new[] { 7.0, 3, 3, 3 }, (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [Fact]
    public void Causal_not_selector_matches_the_evaluator()
    {
        var p = SelectorWidth(!Select(Tokens, Tokens, Comparison.EQ)).Named("others_before");
        var vocab = RandomInputs.Chars("abc");
        var c = RaspCompiler.Compile(p, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = 6, Causal = true });
        using var model = Torch.CompiledModel.Assemble(c);
        foreach (var input in RandomInputs.Generate(vocab, 6, 30, seed: 9))
            model.Run([input])[0].Should().Equal(Evaluation.RaspEvaluator.Evaluate(p, input, causal: true));
    }
}
