using LLMML.LanguageModels.Answers;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Answers;

public class AnswerBatchTests
{
    [Fact]
    public void PromptsEndInOneColumnAndTargetsAreTheAnswerTokens()
    {
        // prompt widths 3 and 1, answer lengths 2 and 3 → P = 3, width = 3 + 3 − 1 = 5
        using var batch = AnswerBatch.Create([new([5, 6, 7], [8, 9]), new([4], [1, 2, 3])], padId: 0, maxLength: 64, CPU);
        batch.PromptWidth.Should().Be(3);
        Rows(batch.InputIds).Should().BeEquivalentTo(new[] { new long[] { 5, 6, 7, 8, 0 }, [0, 0, 4, 1, 2] }, o => o.WithStrictOrdering());
        Rows(batch.AttentionMask).Should().BeEquivalentTo(new[] { new long[] { 1, 1, 1, 1, 0 }, [0, 0, 1, 1, 1] }, o => o.WithStrictOrdering());
        const long I = AnswerBatch.Ignore;
        Rows(batch.Targets).Should().BeEquivalentTo(new[] { new[] { I, I, 8, 9, I }, [I, I, 1, 2, 3] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void PromptTargetsCanBeIncluded()
    {
        using var batch = AnswerBatch.Create([new([5, 6, 7], [8]), new([4, 3], [1])], padId: 0, maxLength: 64, CPU, includePromptTargets: true);
        const long I = AnswerBatch.Ignore;
        Rows(batch.Targets).Should().BeEquivalentTo(new[] { new long[] { 6, 7, 8 }, [I, 3, 1] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void LongPromptsKeepTheirEnd()
    {
        // context 4, answer 2: prompt + answer − 1 = 4 tokens fit, so 3 prompt tokens are kept
        using var batch = AnswerBatch.Create([new([1, 2, 3, 4, 5], [6, 7])], padId: 0, maxLength: 4, CPU);
        Rows(batch.InputIds)[0].Should().Equal(3, 4, 5, 6);
    }

    [Fact]
    public void BadExamplesAreNamed()
    {
        var empty = () => AnswerBatch.Create([new([1], [2]), new([1], [])], 0, 8, CPU);
        empty.Should().Throw<ArgumentException>().WithMessage("Example 1 has an empty answer*");
        var tooLong = () => AnswerBatch.Create([new([1], [2, 3, 4])], 0, 3, CPU);
        tooLong.Should().Throw<ArgumentException>().WithMessage("Example 0: its answer has 3 tokens*");
        var none = () => AnswerBatch.Create([], 0, 8, CPU);
        none.Should().Throw<ArgumentException>();
    }

    private static long[][] Rows(Tensor t) =>
        Enumerable.Range(0, (int)t.shape[0]).Select(r => t[r].data<long>().ToArray()).ToArray();
}
