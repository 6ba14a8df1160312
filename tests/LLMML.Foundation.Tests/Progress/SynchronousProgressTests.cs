using LLMML.Foundation.Progress;

namespace LLMML.Foundation.Tests.Progress;

public class SynchronousProgressTests
{
    [Fact]
    public void ReportsArriveInOrderOnTheCallingThread()
    {
        var thread = Environment.CurrentManagedThreadId;
        var seen = new List<(long Completed, int Thread)>();
        IProgress<ProgressUpdate> progress = new SynchronousProgress(u => seen.Add((u.Completed, Environment.CurrentManagedThreadId)));
        for (var i = 1; i <= 100; i++) progress.Report(new ProgressUpdate("work", i, 100));
        seen.Select(s => s.Completed).Should().Equal(Enumerable.Range(1, 100).Select(i => (long)i));
        seen.Should().OnlyContain(s => s.Thread == thread);
    }

    [Fact]
    public void RestagedRelaysUnderTheNewStageAndKeepsNull()
    {
        var seen = new List<ProgressUpdate>();
        var metrics = new Dictionary<string, double> { ["loss"] = 0.5 };
        SynchronousProgress.Restaged(new SynchronousProgress(seen.Add), "post · score")!.Report(new ProgressUpdate("scoring", 3, 8, metrics));
        seen.Should().ContainSingle().Which.Should().Be(new ProgressUpdate("post · score", 3, 8, metrics));
        SynchronousProgress.Restaged(null, "x").Should().BeNull();
    }
}
