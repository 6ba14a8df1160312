using LLMML.LanguageModels.Training;

namespace LLMML.LanguageModels.Tests.Training;

public class LearningRateScheduleTests
{
    [Theory]
    // peak 1e-3, floor 1e-4, 10 warm-up steps, 100 steps in all: warm-up is (s+1)/10 of the peak, then
    // 1e-4 + 4.5e-4·(1 + cos(π·(s−10)/90)).
    [InlineData(0, 1e-4)]
    [InlineData(4, 5e-4)]
    [InlineData(9, 1e-3)]
    [InlineData(10, 1e-3)]
    [InlineData(55, 5.5e-4)] // halfway through the decay: cos(π/2) = 0
    [InlineData(40, 7.75e-4)] // a third of the way: cos(π/3) = 1/2 → 1e-4 + 4.5e-4·1.5
    [InlineData(70, 3.25e-4)] // two thirds: cos(2π/3) = −1/2 → 1e-4 + 4.5e-4·0.5
    [InlineData(100, 1e-4)]
    public void WarmupCosineMatchesTheClosedForm(long step, double expected)
    {
        var options = new TrainingOptions { LearningRate = 1e-3, MinLearningRate = 1e-4, WarmupSteps = 10, MaxSteps = 100 };

        LearningRateSchedule.At(step, options).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void WithoutWarmupTheFirstStepUsesThePeak()
    {
        LearningRateSchedule.WarmupCosine(0, 0.01, 0, 0, 10).Should().Be(0.01);
        LearningRateSchedule.WarmupCosine(5, 0.01, 0, 0, 10).Should().BeApproximately(0.005, 1e-15);
    }
}
