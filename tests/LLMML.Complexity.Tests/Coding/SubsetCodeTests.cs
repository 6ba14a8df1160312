using LLMML.Complexity.Coding;

namespace LLMML.Complexity.Tests.Coding;

public class SubsetCodeTests
{
    [Fact]
    public void EveryThreeOfEightSubsetGetsItsOwnCodeOfTheMinimalLength()
    {
        // C(8, 3) = 56 subsets → ⌈log₂ 56⌉ = 6 bits, and the 56 codes are exactly the numbers 0 … 55.
        var subsets = Combinations(8, 3).ToArray();
        subsets.Should().HaveCount(56);
        var codes = subsets.Select(s => SubsetCode.Encode(8, s)).ToArray();
        codes.Should().OnlyContain(c => c.BitLength == 6);
        codes.Select(Value).Distinct().Order().Should().Equal(Enumerable.Range(0, 56).Select(i => (long)i));
        for (var i = 0; i < subsets.Length; i++) SubsetCode.Decode(codes[i], 8, 3).Should().Equal(subsets[i]);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(40, 40)]
    [InlineData(64, 7)]
    [InlineData(512, 102)]
    [InlineData(3072, 614)]
    public void RandomSubsetsRoundTripAtTheirLength(int n, int k)
    {
        var random = new Random(n * 31 + k);
        for (var trial = 0; trial < 5; trial++)
        {
            var subset = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(k).ToArray();
            var code = SubsetCode.Encode(n, subset);
            code.BitLength.Should().Be(SubsetCode.Length(n, k));
            SubsetCode.Decode(code, n, k).Should().Equal(subset.Order());
        }
        // ⌈log₂ C(n, k)⌉ against Σ log₂ over the factorial terms, in double precision (independent of BigInteger).
        var log2 = Enumerable.Range(1, k).Sum(i => Math.Log2(n - k + i) - Math.Log2(i));
        ((double)SubsetCode.Length(n, k)).Should().BeInRange(Math.Ceiling(log2 - 1e-6), Math.Ceiling(log2 + 1e-6));
    }

    [Fact]
    public void BadSubsetsAndCodesAreRejected()
    {
        FluentActions.Invoking(() => SubsetCode.Encode(4, [1, 1])).Should().Throw<ArgumentException>().WithMessage("*twice*");
        FluentActions.Invoking(() => SubsetCode.Encode(4, [4])).Should().Throw<ArgumentOutOfRangeException>();
        // C(5, 1) = 5 subsets need 3 bits, which can also hold 5, 6 and 7: those are no subset's code.
        FluentActions.Invoking(() => SubsetCode.Decode(new CodedBits([0b1110_0000], 3), 5, 1)).Should().Throw<InvalidDataException>();
    }

    private static long Value(CodedBits code)
    {
        long value = 0;
        for (var i = 0L; i < code.BitLength; i++) value = (value << 1) | (code[i] ? 1L : 0L);
        return value;
    }

    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        if (k == 0) { yield return []; yield break; }
        for (var last = k - 1; last < n; last++)
            foreach (var rest in Combinations(last, k - 1))
                yield return [.. rest, last];
    }
}
