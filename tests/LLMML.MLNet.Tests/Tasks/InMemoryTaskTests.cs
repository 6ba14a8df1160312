using LLMML.MLNet.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tests.Tasks;

public class InMemoryTaskTests
{
    private static readonly TaskExample[] Train = [new("1 + 1 =", "2"), new("2 + 2 =", "4")];
    private static readonly TaskExample[] Test = [new("3 + 1 =", "4"), new("1 + 0 =", "1"), new("9 + 9 =", "18")];

    [Fact]
    public void SplitsKeepTheirOrderAndRowsAndAClosedSetGivesTheLabel()
    {
        var task = new InMemoryTask("mine", [new(TaskSplits.Test, Test), new(TaskSplits.Train, Train)], ["1", "2", "4"]);
        task.SplitNames.Should().Equal(TaskSplits.Test, TaskSplits.Train);
        task.GetExamples(TaskSplits.Train).Should().Equal(Train);
        task.IsClosed(TaskSplits.Train).Should().BeTrue();
        task.IsClosed(TaskSplits.Test).Should().BeFalse("18 is not in the answer set");
        task.DescribeSplits().Select(s => s.Count).Should().Equal(3, 2);

        var view = TaskDataViews.Create(new MLContext(seed: 0), task, TaskSplits.Train);
        view.Schema["Label"].Type.Should().Be(new KeyDataViewType(typeof(uint), 3));
        view.GetColumn<uint>("Label").Should().Equal(2u, 3u);
        view.GetColumn<string>("Prompt").Should().Equal("1 + 1 =", "2 + 2 =");
    }

    [Fact]
    public void OfTestHasOnlyATestSplitAndOpenAnswersHaveNoLabel()
    {
        var task = InMemoryTask.OfTest("open", Test);
        task.SplitNames.Should().Equal(TaskSplits.Test);
        task.AnswerSet.Should().BeNull();
        TaskDataViews.Create(new MLContext(seed: 0), task, TaskSplits.Test).Schema.Select(c => c.Name).Should().Equal("Prompt", "Answer");
        FluentActions.Invoking(() => task.GetExamples(TaskSplits.Train)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*no split 'train'*");
    }

    [Fact]
    public void BadSplitsAreNamed()
    {
        FluentActions.Invoking(() => new InMemoryTask("t", [])).Should().Throw<ArgumentException>().WithMessage("*at least one split*");
        FluentActions.Invoking(() => new InMemoryTask("t", [new("test", Test), new("test", Train)])).Should().Throw<ArgumentException>().WithMessage("*'test' is given twice*");
        FluentActions.Invoking(() => new InMemoryTask(" ", [new("test", Test)])).Should().Throw<ArgumentException>();
    }
}
