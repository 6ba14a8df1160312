using System.Globalization;
using System.Text.RegularExpressions;
using LLMML.MLNet.Tasks;

namespace LLMML.MLNet.Tests.Tasks;

public class LongAdditionTaskTests
{
    private static readonly LongAdditionTask Task = new();

    private static (string A, string B, string Answer) Parse(TaskExample e)
    {
        var m = Regex.Match(e.Prompt, @"^([\d.]+) \+ ([\d.]+) =$");
        m.Success.Should().BeTrue(e.Prompt);
        return (m.Groups[1].Value, m.Groups[2].Value, e.Answer);
    }

    [Fact]
    public void Train_and_test_are_disjoint_pairs_below_450_with_correct_sums()
    {
        var train = Task.GetExamples("train");
        var test = Task.GetExamples("test");
        train.Should().HaveCount(8000);
        test.Should().HaveCount(2000);
        train.Select(e => e.Prompt).Concat(test.Select(e => e.Prompt)).Should().OnlyHaveUniqueItems();
        foreach (var e in train.Concat(test))
        {
            var (a, b, answer) = Parse(e);
            int i = int.Parse(a), j = int.Parse(b);
            i.Should().BeLessThan(450);
            j.Should().BeLessThan(450);
            answer.Should().Be((i + j).ToString());
        }
        Task.IsClosed("train").Should().BeTrue();
        Task.AnswerSet.Should().HaveCount(899);
    }

    [Fact]
    public void Four_digit_split_is_mostly_four_digit_operands()
    {
        var rows = Task.GetExamples(LongAdditionTask.OodFourDigit);
        rows.Should().HaveCount(500);
        int both = 0;
        foreach (var e in rows)
        {
            var (a, b, answer) = Parse(e);
            int i = int.Parse(a), j = int.Parse(b);
            answer.Should().Be((i + j).ToString());
            Math.Max(i, j).Should().BeGreaterThanOrEqualTo(1000);
            if (Math.Min(i, j) >= 1000) both++;
        }
        (both / 500.0).Should().BeInRange(0.7, 0.9);
        Task.IsClosed(LongAdditionTask.OodFourDigit).Should().BeFalse("4-digit sums lie outside the 0..898 answer set");
    }

    [Fact]
    public void Carry_split_carries_through_every_digit()
    {
        foreach (var e in Task.GetExamples(LongAdditionTask.OodCarry))
        {
            var (a, b, answer) = Parse(e);
            a.Length.Should().Be(b.Length);
            a.Length.Should().BeInRange(3, 4);
            int carry = 0;
            for (int k = a.Length - 1; k >= 0; k--)
            {
                int column = (a[k] - '0') + (b[k] - '0') + carry;
                column.Should().BeGreaterThanOrEqualTo(10, $"{e.Prompt} should carry out of digit {k}");
                carry = 1;
            }
            answer.Should().Be((int.Parse(a) + int.Parse(b)).ToString());
            answer.Length.Should().Be(a.Length + 1);
        }
    }

    [Fact]
    public void Decimal_split_adds_decimals_exactly()
    {
        var rows = Task.GetExamples(LongAdditionTask.OodDecimal);
        rows.Should().HaveCount(500);
        foreach (var e in rows)
        {
            var (a, b, answer) = Parse(e);
            (a.Contains('.') && b.Contains('.')).Should().BeTrue(e.Prompt);
            var sum = decimal.Parse(a, CultureInfo.InvariantCulture) + decimal.Parse(b, CultureInfo.InvariantCulture);
            decimal.Parse(answer, CultureInfo.InvariantCulture).Should().Be(sum);
            answer.Should().NotEndWith("0").And.NotEndWith(".", "answers are in shortest form unless an integer");
        }
    }
}
