using System.Text.RegularExpressions;
using LLMML.MLNet.Tasks;

namespace LLMML.MLNet.Tests.Tasks;

public class ArithmeticTaskTests
{
    private static (int I, int J, int Answer) Parse(TaskExample e, string op)
    {
        var m = Regex.Match(e.Prompt, $@"^(\d+) {Regex.Escape(op)} (\d+) =$");
        m.Success.Should().BeTrue($"'{e.Prompt}' should follow the task format");
        return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(e.Answer));
    }

    [Theory]
    [InlineData("int-sum", "+", 100, 8000, 2000)]
    [InlineData("int-mult", "x", 20, 320, 80)]
    public void Splits_cover_every_pair_once_with_correct_answers(string name, string op, int limit, int train, int test)
    {
        var task = TaskRegistry.CreateDefault().Get(name);
        var trainRows = task.GetExamples("train");
        var testRows = task.GetExamples("test");

        trainRows.Should().HaveCount(train);
        testRows.Should().HaveCount(test);
        var pairs = trainRows.Concat(testRows).Select(e =>
        {
            var (i, j, answer) = Parse(e, op);
            i.Should().BeLessThan(limit);
            j.Should().BeLessThan(limit);
            answer.Should().Be(op == "+" ? i + j : i * j, e.Prompt);
            e.Answer.Should().NotStartWith(" ");
            return (i, j);
        }).ToList();
        pairs.Should().OnlyHaveUniqueItems();
        pairs.Should().HaveCount(limit * limit);
        trainRows.Select(e => e.Prompt).Intersect(testRows.Select(e => e.Prompt)).Should().BeEmpty();
    }

    [Fact]
    public void The_split_is_fixed_by_the_seed()
    {
        var a = ArithmeticTask.IntSum().GetExamples("test");
        var b = ArithmeticTask.IntSum().GetExamples("test");
        var otherSeed = new ArithmeticTask("int-sum", "+", (i, j) => i + j, 100, 8000, 43, "").GetExamples("test");

        a.Should().Equal(b);
        a.Should().NotEqual(otherSeed);
        a.Select(e => e.Prompt).Take(50).Should().NotBeInAscendingOrder("pairs are shuffled before splitting");
    }

    [Fact]
    public void Answer_sets_hold_every_possible_result_in_numeric_order()
    {
        ArithmeticTask.IntSum().AnswerSet.Should().Equal(Enumerable.Range(0, 199).Select(v => v.ToString()));
        var products = Enumerable.Range(0, 20).SelectMany(i => Enumerable.Range(0, 20).Select(j => i * j)).Distinct().Order().Select(v => v.ToString());
        ArithmeticTask.IntMult().AnswerSet.Should().Equal(products);
        ArithmeticTask.IntMult().KeyOf("361").Should().Be((uint)ArithmeticTask.IntMult().AnswerSet!.Count);
        ArithmeticTask.IntMult().KeyOf("0").Should().Be(1);
        ArithmeticTask.IntMult().KeyOf("23").Should().Be(0, "23 is prime and > 19, so not a product");
    }

    [Fact]
    public void Cued_tasks_share_int_mults_pairs_and_split_and_prefix_the_cue()
    {
        var plain = ArithmeticTask.IntMult();
        foreach (var (cued, cue, apply) in new (ArithmeticTask, string, Func<int, int, int>)[]
                 { (ArithmeticTask.IntMultCued(), "mul: ", (i, j) => i * j), (ArithmeticTask.IntAddCued(), "add: ", (i, j) => i + j) })
        {
            foreach (var split in new[] { "train", "test" })
            {
                var expected = plain.GetExamples(split);
                var actual = cued.GetExamples(split);
                actual.Should().HaveCount(expected.Count);
                for (int k = 0; k < expected.Count; k++)
                {
                    actual[k].Prompt.Should().Be(cue + expected[k].Prompt);
                    var operands = expected[k].Prompt.TrimEnd('=', ' ').Split(" x ").Select(int.Parse).ToArray();
                    actual[k].Answer.Should().Be(apply(operands[0], operands[1]).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
    }
}
