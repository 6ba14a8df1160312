using LLMML.Complexity.Coding;

namespace LLMML.Complexity.Tests.Coding;

public class ArithmeticCoderTests
{
    /// <summary>
    /// The bound proved in CoderGeometry/ArithmeticEncoder: L ≤ Σ −log₂(f_i/T) + 2 + n·(−log₂(1 − T/2⁶⁰)).
    /// The reference −log₂(f/T) is computed here from the frequencies, not by the coder.
    /// </summary>
    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(2, 3, 50)]
    [InlineData(3, 100, 2000)]
    [InlineData(4, 50257, 300)]
    public void RandomTablesRoundTripWithinTheBound(int seed, int symbols, int length)
    {
        var random = new Random(seed);
        var tables = new List<FrequencyTable>();
        var message = new List<int>();
        double ideal = 0;
        var encoder = new ArithmeticEncoder();
        for (var i = 0; i < length; i++)
        {
            // Skewed weights: some symbols near-certain, some tiny, as a language model's are.
            var weights = Enumerable.Range(0, symbols).Select(_ => Math.Pow(random.NextDouble(), 8)).ToArray();
            var table = FrequencyTable.FromProbabilities(weights);
            var symbol = random.Next(symbols);
            tables.Add(table);
            message.Add(symbol);
            ideal -= Math.Log2((double)table.Frequency(symbol) / table.Total);
            encoder.Encode(table, symbol);
        }
        var code = encoder.Finish();

        var decoder = new ArithmeticDecoder(code);
        tables.Select(t => decoder.Decode(t)).Should().Equal(message);
        code.BitLength.Should().BeLessThanOrEqualTo((long)Math.Floor(ideal + 2 + length * CoderGeometry.RoundingLossPerSymbol(FrequencyTable.DefaultTotal) + 1e-9));
        code.Bytes.Length.Should().Be((int)((code.BitLength + 7) / 8));
    }

    [Fact]
    public void CertainSymbolsCostAlmostNothing()
    {
        // Frequency T − 1 of T for 10,000 symbols: Σ −log₂ f/T = 10⁴·log₂(T/(T−1)) ≈ 6.7·10⁻⁶ bits, so only the two closing bits remain.
        var encoder = new ArithmeticEncoder();
        for (var i = 0; i < 10_000; i++) encoder.Encode(0, (1UL << 31) - 1, 1UL << 31);
        var code = encoder.Finish();
        code.BitLength.Should().Be(2);
        var decoder = new ArithmeticDecoder(code);
        for (var i = 0; i < 10_000; i++) decoder.Target(1UL << 31).Should().BeLessThan((1UL << 31) - 1);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(7L)]
    [InlineData(8L)]
    [InlineData(1000L)]
    [InlineData(1L << 40)]
    public void GammaCodesRoundTripInTwoFloorLogPlusOneBits(long n)
    {
        var encoder = new ArithmeticEncoder();
        EliasGamma.Encode(encoder, n);
        encoder.EncodeBit(true);
        var code = encoder.Finish();
        var expected = 2 * (int)Math.Floor(Math.Log2(n)) + 1;
        EliasGamma.Length(n).Should().Be(expected);
        // Fair bits halve the interval exactly: one output bit each, plus the two closing bits.
        code.BitLength.Should().Be(expected + 1 + 2);
        var decoder = new ArithmeticDecoder(code);
        EliasGamma.Decode(decoder).Should().Be(n);
        decoder.DecodeBit().Should().BeTrue();
    }

    [Fact]
    public void BadSymbolRangesAreRejected()
    {
        var encoder = new ArithmeticEncoder();
        var empty = () => encoder.Encode(3, 3, 10);
        empty.Should().Throw<ArgumentOutOfRangeException>();
        var tooLarge = () => encoder.Encode(0, 1, CoderGeometry.MaxTotal + 1);
        tooLarge.Should().Throw<ArgumentOutOfRangeException>();
    }
}
