using LLMML.Complexity.Coding;

namespace LLMML.Complexity.Tests.Coding;

public class FrequencyTableTests
{
    [Fact]
    public void EverySymbolIsCodableAndNoneCostsMoreThanTheQuantisationBound()
    {
        var logits = new float[] { 30f, 0f, -50f, 2.5f, 2.5f, -1000f };
        var table = FrequencyTable.FromLogits(logits, 1UL << 20);
        var max = logits.Max();
        var z = logits.Sum(l => Math.Exp(l - max));
        var bound = FrequencyTable.QuantisationLossPerSymbol(logits.Length, 1UL << 20);
        bound.Should().BeApproximately(Math.Log2((1 << 20) / (double)((1 << 20) - 6)), 1e-15);
        ulong sum = 0;
        for (var j = 0; j < logits.Length; j++)
        {
            var f = table.Frequency(j);
            f.Should().BeGreaterThanOrEqualTo(1);
            sum += f;
            var p = Math.Exp(logits[j] - max) / z;
            (-Math.Log2((double)f / table.Total)).Should().BeLessThanOrEqualTo(-Math.Log2(p) + bound + 1e-12);
        }
        sum.Should().Be(1UL << 20);
        table.Total.Should().Be(1UL << 20);
    }

    [Fact]
    public void SymbolAtInvertsRange()
    {
        var table = FrequencyTable.FromProbabilities([0.5, 0.0, 0.25, 0.25], 64);
        for (var s = 0; s < 4; s++)
        {
            var (low, high) = table.Range(s);
            table.SymbolAt(low).Should().Be(s);
            table.SymbolAt(high - 1).Should().Be(s);
        }
        table.Frequency(1).Should().Be(1);
    }

    [Fact]
    public void NaNLogitsAreRejected()
    {
        var act = () => FrequencyTable.FromLogits(new[] { 1f, float.NaN });
        act.Should().Throw<ArgumentException>().WithMessage("*NaN*");
    }
}
