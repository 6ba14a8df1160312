using LLMML.MLNet.Tasks;

namespace LLMML.MLNet.Tests.Tasks;

public class DyckTaskTests
{
    private static readonly DyckTask Task = new();

    private static string Brackets(TaskExample e)
    {
        const string prefix = "Are parenthesis here correctly matched? ", suffix = "\nAnswer:";
        e.Prompt.Should().StartWith(prefix).And.EndWith(suffix);
        return e.Prompt[prefix.Length..^suffix.Length];
    }

    // Independent reference: per bracket type, delete adjacent "()" pairs until none remain.
    private static bool Reference(string s)
    {
        foreach (var pair in new[] { "()", "[]", "{}", "<>" })
        {
            var only = new string(s.Where(c => pair.Contains(c)).ToArray());
            while (only.Contains(pair)) only = only.Replace(pair, "");
            if (only.Length > 0) return false;
        }
        return true;
    }

    [Theory]
    [InlineData("train", 2000, 5, 30)]
    [InlineData("test", 500, 5, 30)]
    [InlineData(DyckTask.OodLength, 500, 31, 90)]
    [InlineData(DyckTask.OodNearBalanced, 500, 5, 30)]
    [InlineData(DyckTask.OodNewPair, 500, 5, 30)]
    public void Labels_agree_with_an_independent_checker_and_classes_are_balanced(string split, int count, int minLength, int maxLength)
    {
        var rows = Task.GetExamples(split);
        rows.Should().HaveCount(count);
        rows.Select(e => e.Prompt).Should().OnlyHaveUniqueItems();
        rows.Count(e => e.Answer == "yes").Should().Be(count / 2);
        foreach (var e in rows)
        {
            var s = Brackets(e);
            s.Length.Should().BeInRange(minLength, maxLength);
            e.Answer.Should().Be(Reference(s) ? "yes" : "no", s);
        }
    }

    private static readonly char[] Angles = ['<', '>'];

    private static bool HasAngle(TaskExample e) => Brackets(e).IndexOfAny(Angles) >= 0;

    [Fact]
    public void Only_the_new_pair_split_uses_angle_brackets()
    {
        foreach (var split in new[] { "train", "test", DyckTask.OodLength, DyckTask.OodNearBalanced })
            Task.GetExamples(split).Should().NotContain(e => HasAngle(e), split);
        Task.GetExamples(DyckTask.OodNewPair).Should().OnlyContain(e => HasAngle(e));
    }

    [Fact]
    public void Near_balanced_negatives_are_one_character_from_matched()
    {
        const string alphabet = "()[]{}";
        foreach (var e in Task.GetExamples(DyckTask.OodNearBalanced).Where(e => e.Answer == "no"))
        {
            var s = Brackets(e).ToCharArray();
            bool fixable = false;
            for (int i = 0; i < s.Length && !fixable; i++)
            {
                var original = s[i];
                foreach (var c in alphabet)
                {
                    s[i] = c;
                    if (Reference(new string(s))) fixable = true;
                }
                s[i] = original;
            }
            fixable.Should().BeTrue($"{new string(s)} should be one edit away from matched");
        }
    }

    [Fact]
    public void Splits_are_disjoint_and_deterministic()
    {
        var train = Task.GetExamples("train").Select(e => e.Prompt).ToHashSet();
        Task.GetExamples("test").Should().NotContain(e => train.Contains(e.Prompt));
        Task.GetExamples(DyckTask.OodNearBalanced).Should().NotContain(e => train.Contains(e.Prompt));
        new DyckTask().GetExamples("train").Should().Equal(Task.GetExamples("train"));
        new DyckTask(seed: 7).GetExamples("train").Should().NotEqual(Task.GetExamples("train"));
        DyckTask.IsMatched("([)]").Should().BeTrue("shuffle-Dyck lets types interleave");
        DyckTask.IsMatched(")(").Should().BeFalse();
    }
}
