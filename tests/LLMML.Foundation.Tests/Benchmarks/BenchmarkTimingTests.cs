using FluentAssertions;
using LLMML.Foundation.Benchmarks;
using Xunit;

namespace LLMML.Foundation.Tests.Benchmarks;

public class BenchmarkTimingTests
{
    [Fact]
    public void MedianIsTheMiddleValueOrTheMeanOfTheMiddleTwo()
    {
        BenchmarkTiming.Median([5, 1, 3]).Should().Be(3);
        BenchmarkTiming.Median([4, 1, 3, 10]).Should().Be(3.5);
        BenchmarkTiming.Median([7]).Should().Be(7);
        FluentActions.Invoking(() => BenchmarkTiming.Median([])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void TimedWarmsUpOnceThenTimesEachRun()
    {
        var calls = 0;
        var (wall, cpu) = BenchmarkTiming.Timed(3, () => { calls++; Thread.Sleep(20); });
        calls.Should().Be(4);
        wall.Should().BeGreaterThanOrEqualTo(19);
        // Process CPU time counts every thread, and xunit runs other test classes in this process meanwhile, so only its sign is certain.
        cpu.Should().BeGreaterThanOrEqualTo(0);
        FluentActions.Invoking(() => BenchmarkTiming.Timed(0, () => { })).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void LoadAverageIsFormattedOrNamedUnknown()
    {
        BenchmarkTiming.Format(null).Should().Be("n/a");
        BenchmarkTiming.Format(2.346).Should().Be("2.35");
        if (OperatingSystem.IsLinux()) BenchmarkTiming.LoadAverage().Should().BeGreaterThanOrEqualTo(0);
    }
}
