using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Tokenization;
using LLMML.LanguageModels.Training;
using TorchSharp;
using static LLMML.LanguageModels.Tests.Training.TrainingFixtures;

namespace LLMML.LanguageModels.Tests.Training;

public class CheckpointDurabilityTests
{
    [Fact]
    public void AnInterruptedSaveLeavesThePreviousCheckpointIntact()
    {
        var (x, y) = Regression(8);
        using var dir = new Tokenization.TempDirectory();
        var model = Mlp();
        new TrainingLoop().Run(model, _ => Mse(model, x, y), new TrainingOptions { MaxSteps = 3, CheckpointDirectory = dir.Path });
        var path = dir.File(TrainingCheckpoint.FileName);
        var before = File.ReadAllBytes(path);

        // The same write path checkpoints use, failing half-way through (as a crash or full disk would).
        FluentActions.Invoking(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("disk full");
        })).Should().Throw<IOException>();

        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(dir.Path).Should().Equal(path);
        TrainingCheckpoint.ReadInfo(path).Step.Should().Be(3);
    }

    [Fact]
    public void TrainingStepsDoNotLeakTensors()
    {
        var (x, y) = Regression(16);
        var model = Mlp();
        var loop = new TrainingLoop();
        loop.Run(model, _ => Mse(model, x, y), new TrainingOptions { MaxSteps = 2, GradientAccumulationSteps = 2 });
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        loop.Run(model, _ => Mse(model, x, y), new TrainingOptions { MaxSteps = 50, GradientAccumulationSteps = 2 });

        // The second run creates its own optimizer state (2 moments per parameter), disposed with the optimizer.
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().BeLessThanOrEqualTo(live + 4);
    }
}
