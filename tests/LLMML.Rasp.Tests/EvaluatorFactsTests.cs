using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using static LLMML.Rasp.Tests.RandomInputs;

namespace LLMML.Rasp.Tests;

/// <summary>The example facts of METHODS.md §2 (tracr's library docstrings), on the reference evaluator.</summary>
public class EvaluatorFactsTests
{
    private static RaspValue[] Eval(SOp p, RaspValue[] input, bool causal = false) => RaspEvaluator.Evaluate(p, input, causal);

    [Fact]
    public void Reverse_abcd_is_dcba() => Eval(RaspLibrary.Reverse(RaspOps.Tokens), Chars("abcd")).Should().Equal(Chars("dcba"));

    [Fact]
    public void Hist_abac() => Eval(RaspLibrary.Hist(), Chars("abac")).Should().Equal(Numbers(2, 1, 2, 1));

    [Fact]
    public void Length_is_the_length_everywhere() => Eval(RaspLibrary.Length(), Chars("abcdefg")).Should().Equal(Numbers(7, 7, 7, 7, 7, 7, 7));

    [Fact]
    public void Sort_breaks_ties_by_position() =>
        Eval(RaspLibrary.Sort(RaspOps.Tokens, RaspOps.Tokens, 5, 1), Numbers(2, 4, 1, 2)).Should().Equal(Numbers(1, 2, 2, 4));

    [Fact]
    public void Sort_freq() => Eval(RaspLibrary.SortFreq(5), Numbers(2, 4, 2, 1)).Should().Equal(Numbers(2, 2, 4, 1));

    [Fact]
    public void Sort_unique() => Eval(RaspLibrary.SortUnique(RaspOps.Tokens, RaspOps.Tokens), Numbers(2, 4, 3, 1)).Should().Equal(Numbers(1, 2, 3, 4));

    [Fact]
    public void Frac_prevs_hello()
    {
        var r = Eval(RaspLibrary.FracPrevs(RaspOps.Tokens == "l"), Chars("hello"));
        r.Select(v => v.Number).Should().Equal(new[] { 0, 0, 1.0 / 3, 1.0 / 2, 2.0 / 5 }, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Pair_balance_example()
    {
        var r = Eval(RaspLibrary.PairBalance(RaspOps.Tokens, "(", ")"), Chars("a()b(c))"));
        var expected = new[] { 0, 1.0 / 2, 0, 0, 1.0 / 5, 1.0 / 6, 0, -1.0 / 8 };
        r.Select(v => v.Number).Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Shuffle_dyck2()
    {
        var p = RaspLibrary.ShuffleDyck(["()", "{}"]);
        Eval(p, Chars("({)}")).Should().Equal(Numbers(1, 1, 1, 1));
        Eval(p, Chars("(){)}")).Should().Equal(Numbers(0, 0, 0, 0, 0));
    }

    [Fact]
    public void Detect_pattern_is_none_padded()
    {
        var r = Eval(RaspLibrary.DetectPattern(RaspOps.Tokens, Chars("abc")), Chars("abcabc"));
        r.Should().Equal(RaspValue.None, RaspValue.None, true, false, false, true);
    }

    [Fact]
    public void Count_less_freq_examples()
    {
        var p = RaspLibrary.CountLessFreq(2);
        Eval(p, Chars("aaabbc")).Should().Equal(Numbers(3, 3, 3, 3, 3, 3));
        Eval(p, Chars("aacbbc")).Should().Equal(Numbers(6, 6, 6, 6, 6, 6));
    }

    [Fact]
    public void Count_examples()
    {
        var p = RaspLibrary.Count(RaspOps.Tokens, "a");
        Eval(p, Chars("aaabbc")).Should().Equal(Numbers(3, 3, 3, 3, 3, 3));
        Eval(p, Chars("cabc")).Should().Equal(Numbers(1, 1, 1, 1));
    }

    [Fact]
    public void Shift_by_one() => Eval(RaspLibrary.ShiftBy(1, RaspOps.Tokens), Chars("abc")).Should().Equal(RaspValue.None, "a", "b");

    [Fact]
    public void Nary_sequencemap_applies_f_to_the_tuple()
    {
        var p = RaspLibrary.NarySequenceMap(a => a[0] * 100 + a[1] * 10 + a[2], RaspOps.Tokens, RaspOps.Indices, RaspOps.Tokens + 1);
        Eval(p, Numbers(3, 5)).Should().Equal(Numbers(304, 516));
    }

    [Fact]
    public void Causal_evaluation_sees_only_the_prefix()
    {
        Eval(RaspLibrary.Length(), Chars("abcd"), causal: true).Should().Equal(Numbers(1, 2, 3, 4));
        Eval(RaspLibrary.Hist(), Chars("abac"), causal: true).Should().Equal(Numbers(1, 1, 2, 1));
    }

    [Fact]
    public void Categorical_aggregate_of_different_values_is_an_error_naming_the_node()
    {
        var p = RaspOps.Aggregate(RaspOps.Select(RaspOps.Tokens, RaspOps.Tokens, Comparison.TRUE), RaspOps.Tokens).Named("mixed");
        var act = () => Eval(p, Chars("ab"));
        act.Should().Throw<RaspEvaluationException>().WithMessage("*mixed*at most one distinct value*");
    }

    [Fact]
    public void Selector_combinators()
    {
        var lt = RaspOps.Select(RaspOps.Indices, RaspOps.Indices, Comparison.LT);
        var gt = RaspOps.Select(RaspOps.Indices, RaspOps.Indices, Comparison.GT);
        Eval(RaspOps.SelectorWidth(lt | gt), Chars("abc")).Should().Equal(Numbers(2, 2, 2));
        Eval(RaspOps.SelectorWidth(lt & gt), Chars("abc")).Should().Equal(Numbers(0, 0, 0));
        Eval(RaspOps.SelectorWidth(!lt), Chars("abc")).Should().Equal(Numbers(3, 2, 1));
    }

    [Fact]
    public void Injection_dyck3_answers_at_the_trigger_only()
    {
        var p = InjectionPrograms.ShuffleDyck3();
        Eval(p, Chars("_([)]{}:"), causal: true)[^1].Should().Be((RaspValue)"yes");
        Eval(p, Chars("_([)]{}:"), causal: true)[..^1].Should().OnlyContain(v => v == "_");
        Eval(p, Chars("_)(:"), causal: true)[^1].Should().Be((RaspValue)"no");
        Eval(p, Chars("_((:"), causal: true)[^1].Should().Be((RaspValue)"no");
    }

    [Fact]
    public void Injection_count_writes_the_digits_after_the_trigger()
    {
        var input = Chars(new string('x', 12) + "yy:12");
        var r = Eval(InjectionPrograms.CountX(), input, causal: true);
        r[^3..].Should().Equal("1", "2", "<eos>");
        r[..^3].Should().OnlyContain(v => v == "_");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(7, 5)]
    [InlineData(449, 449)]
    [InlineData(999, 1)]
    [InlineData(95, 905)]
    [InlineData(123, 45)]
    public void Injection_addition_writes_the_sum(int i, int j)
    {
        var sum = (i + j).ToString();
        var text = $"_{i}_+_{j}=" + sum;
        var r = Eval(InjectionPrograms.Addition(3), Chars(text), causal: true);
        var start = text.IndexOf('=');
        string.Concat(r.Skip(start).Take(sum.Length).Select(v => v.ToString())).Should().Be(sum);
        r[start + sum.Length].Should().Be((RaspValue)"<eos>");
        r.Take(start).Should().OnlyContain(v => v == "_");
    }
}
