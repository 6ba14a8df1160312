using System.Text.RegularExpressions;
using LLMML.MLNet.Tasks;

namespace LLMML.MLNet.Tests.Tasks;

public class CountTaskTests
{
    private static readonly CountTask Task = new();

    private static string[] Tokens(TaskExample e)
    {
        var m = Regex.Match(e.Prompt, @"^What is the number of 'x' in this text\? ([a-z ]+)\nAnswer:$");
        m.Success.Should().BeTrue(e.Prompt);
        return m.Groups[1].Value.Split(' ');
    }

    [Theory]
    [InlineData("train", 2000, 5, 40, "xy")]
    [InlineData("test", 500, 5, 40, "xy")]
    [InlineData(CountTask.OodZ, 500, 5, 40, "xz")]
    [InlineData(CountTask.OodLength, 500, 41, 120, "xy")]
    [InlineData(CountTask.OodXOnly, 116, 5, 120, "x")]
    public void Answers_count_the_x_tokens(string split, int count, int minLength, int maxLength, string alphabet)
    {
        var rows = Task.GetExamples(split);
        rows.Should().HaveCount(count);
        rows.Select(e => e.Prompt).Should().OnlyHaveUniqueItems();
        foreach (var e in rows)
        {
            var tokens = Tokens(e);
            tokens.Length.Should().BeInRange(minLength, maxLength);
            tokens.Should().OnlyContain(t => t.Length == 1 && alphabet.Contains(t[0]));
            e.Answer.Should().Be(tokens.Count(t => t == "x").ToString());
        }
        Task.IsClosed(split).Should().BeTrue();
    }

    [Fact]
    public void Train_and_test_do_not_overlap_and_answers_spread_over_the_range()
    {
        var train = Task.GetExamples("train").Select(e => e.Prompt).ToHashSet();
        Task.GetExamples("test").Should().NotContain(e => train.Contains(e.Prompt));
        Task.GetExamples("train").Select(e => int.Parse(e.Answer)).Distinct().Count().Should().BeGreaterThan(35);
        new CountTask().GetExamples("test").Should().Equal(Task.GetExamples("test"));
    }
}
