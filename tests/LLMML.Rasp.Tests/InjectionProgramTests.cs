using LLMML.Rasp.Compiler;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Torch;

namespace LLMML.Rasp.Tests;

/// <summary>
/// The compiled injection programs answer their task on well-formed prompts, checked against
/// plain C# references (a bracket counter, a count, integer addition) rather than the evaluator.
/// </summary>
public class InjectionProgramTests
{
    private static CompiledModel Compile(SOp program, IReadOnlyList<RaspValue> vocab, int maxLen) =>
        CompiledModel.Assemble(RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = vocab, MaxLength = maxLen, Causal = true }));

    private static RaspValue[] Chars(string s) => RandomInputs.Chars(s);

    [Theory]
    [InlineData(3, 450, 16)]
    [InlineData(4, 10000, 18)]
    public void Addition_answers_i_plus_j_digit_by_digit(int maxDigits, int below, int maxLen)
    {
        using var model = Compile(InjectionPrograms.Addition(maxDigits), InjectionPrograms.AdditionVocabulary, maxLen);
        var rng = new Random(3);
        var prompts = new List<(string Text, string Answer)>();
        for (var k = 0; k < 300; k++)
        {
            // Mostly full-width operands, so carry cascades (e.g. 9999 + 1) are frequent.
            int Operand() => rng.Next(4) == 0 ? rng.Next(below) : below - 1 - rng.Next(Math.Min(below, 20));
            var (i, j) = (Operand(), rng.Next(2) == 0 ? Operand() : rng.Next(below));
            var answer = (i + j).ToString();
            // The answer tokens follow the trigger, as when the LM generates them.
            prompts.Add(($"{i}_+_{j}=" + answer, answer));
        }
        var outputs = model.Run(prompts.Select(p => (IReadOnlyList<RaspValue>)Chars(p.Text)).ToList());
        for (var k = 0; k < prompts.Count; k++)
        {
            var (text, answer) = prompts[k];
            var trigger = text.IndexOf('=');
            var decoded = string.Concat(outputs[k].Skip(trigger).Take(answer.Length).Select(v => v.ToString()));
            decoded.Should().Be(answer, text);
            outputs[k].Take(trigger).Should().OnlyContain(v => v == InjectionPrograms.Filler, text);
        }
    }

    [Fact]
    public void Dyck3_says_yes_exactly_for_balanced_shuffles()
    {
        const int maxLen = 14;
        using var model = Compile(InjectionPrograms.ShuffleDyck3(), InjectionPrograms.DyckVocabulary, maxLen);
        var rng = new Random(4);
        const string brackets = "()[]{}";
        var prompts = new List<string>();
        for (var k = 0; k < 400; k++)
        {
            var n = rng.Next(1, maxLen - 1);
            // Half the strings are built balanced, so both answers are well represented.
            var s = k % 2 == 0 ? BalancedShuffle(rng, n) : new string(Enumerable.Range(0, n).Select(_ => brackets[rng.Next(6)]).ToArray());
            prompts.Add("_" + s + ":");
        }
        var outputs = model.Run(prompts.Select(p => (IReadOnlyList<RaspValue>)Chars(p)).ToList());
        var yes = 0;
        for (var k = 0; k < prompts.Count; k++)
        {
            var expected = ReferenceAnswers.IsShuffleDyck(prompts[k]) ? "yes" : "no";
            if (expected == "yes") yes++;
            outputs[k][^1].Should().Be((RaspValue)expected, prompts[k]);
        }
        yes.Should().BeGreaterThan(100);
    }

    [Fact]
    public void Count_x_writes_the_count_after_the_trigger()
    {
        const int maxLen = 30;
        using var model = Compile(InjectionPrograms.CountX(), InjectionPrograms.CountVocabulary, maxLen);
        var rng = new Random(5);
        var prompts = new List<(string Text, string Answer)>();
        for (var k = 0; k < 300; k++)
        {
            var body = new string(Enumerable.Range(0, rng.Next(1, 25)).Select(_ => "xy_"[rng.Next(3)]).ToArray());
            var answer = body.Count(c => c == 'x').ToString();
            prompts.Add((body + ":" + answer, answer));
        }
        var outputs = model.Run(prompts.Select(p => (IReadOnlyList<RaspValue>)Chars(p.Text)).ToList());
        for (var k = 0; k < prompts.Count; k++)
        {
            var (text, answer) = prompts[k];
            var trigger = text.IndexOf(':');
            string.Concat(outputs[k].Skip(trigger).Take(answer.Length).Select(v => v.ToString())).Should().Be(answer, text);
        }
    }

    private static string BalancedShuffle(Random rng, int n)
    {
        var sb = new System.Text.StringBuilder();
        var open = new int[3];
        const string o = "([{", c = ")]}";
        while (sb.Length < n)
        {
            var p = rng.Next(3);
            if (open[p] > 0 && (rng.Next(2) == 0 || sb.Length + open.Sum() >= n)) { sb.Append(c[p]); open[p]--; }
            else if (sb.Length + open.Sum() < n) { sb.Append(o[p]); open[p]++; }
        }
        return sb.ToString();
    }
}

/// <summary>Token alignment for injection: overrides, exact matches, filler; BOS shifts positions by one.</summary>
public class TokenAlignmentTests
{
    [Fact]
    public void Lm_tokens_map_to_compiled_tokens_or_the_filler()
    {
        var compiled = RaspCompiler.Compile(InjectionPrograms.CountX(), new RaspCompilerOptions
        {
            Vocabulary = InjectionPrograms.CountVocabulary, MaxLength = 12, Causal = true,
        });
        using var model = CompiledModel.Assemble(compiled);
        var align = new TokenAlignment(model, InjectionPrograms.Filler, new Dictionary<string, RaspValue> { ["Answer:"] = ":" });
        var lm = new[] { "What", " x", " y", " x", " z", "\n", "Answer:", " 2" };
        var aligned = align.AlignSequence(lm);
        aligned.Should().Equal("_", "x", "y", "x", "_", "_", ":", "2");
        using var ids = align.Encode([lm]);
        ids.shape.Should().Equal(1, lm.Length + 1);
        ids[0, 0].item<long>().Should().Be(model.Config.BosId);
        ids[0, 2].item<long>().Should().Be(model.TokenId("x"));
        model.Run([aligned])[0][6].Should().Be((RaspValue)"2");
    }
}
