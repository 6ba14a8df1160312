using LLMML.Complexity.Coding;
using static TorchSharp.torch;

namespace LLMML.Complexity.Tests.Coding;

public class WeightQuantisationTests
{
    private static readonly float[] Values = [0.31f, -0.7f, 0.004f, 1.25f, -1.3f, 0.0f, 0.65f, -0.05f];

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void IntegerWidthsMatchANaiveAbsmaxQuantiser(int bits)
    {
        using var weights = tensor(Values);
        using var result = WeightQuantisation.RoundTrip(weights, bits);

        var levels = (1 << (bits - 1)) - 1;
        var scale = (float)(Half)(1.3 / levels);
        var expected = Values.Select(v => (float)(Math.Clamp(Math.Round(v / scale, MidpointRounding.ToEven), -levels, levels) * scale)).ToArray();
        result.data<float>().ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-6f);
        result.data<float>().ToArray().Distinct().Count().Should().BeLessThanOrEqualTo(2 * levels + 1);
    }

    [Fact]
    public void SixteenBitsIsHalfPrecisionAndThirtyTwoIsExact()
    {
        using var weights = tensor(Values);
        WeightQuantisation.RoundTrip(weights, 16).data<float>().ToArray().Should().Equal(Values.Select(v => (float)(Half)v));
        WeightQuantisation.RoundTrip(weights, 32).data<float>().ToArray().Should().Equal(Values);
    }

    [Fact]
    public void PayloadCountsScalesBelowSixteenBits()
    {
        WeightQuantisation.PayloadBits(1000, 4, 2).Should().Be(2000 + 64);
        WeightQuantisation.PayloadBits(1000, 4, 16).Should().Be(16000);
        var act = () => WeightQuantisation.PayloadBits(1, 1, 1);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void AllZeroWeightsStayZero()
    {
        using var weights = zeros(3);
        WeightQuantisation.RoundTrip(weights, 2).data<float>().ToArray().Should().Equal(0f, 0f, 0f);
    }
}
