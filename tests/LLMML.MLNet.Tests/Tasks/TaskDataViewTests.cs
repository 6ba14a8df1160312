using LLMML.MLNet.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tests.Tasks;

public class TaskDataViewTests
{
    private static readonly MLContext Ml = new(seed: 0);

    [Fact]
    public void Closed_tasks_get_a_key_label_over_the_answer_set()
    {
        var view = Ml.Llm().Tasks.Load("dyck", "test");
        view.Schema.Select(c => c.Name).Should().Equal("Prompt", "Answer", "Label");
        view.Schema["Prompt"].Type.Should().Be(TextDataViewType.Instance);
        view.Schema["Label"].Type.Should().Be(new KeyDataViewType(typeof(uint), 2));
        VBuffer<ReadOnlyMemory<char>> keys = default;
        view.Schema["Label"].GetKeyValues(ref keys);
        keys.DenseValues().Select(k => k.ToString()).Should().Equal("yes", "no");

        var answers = view.GetColumn<string>("Answer").ToArray();
        var labels = view.GetColumn<uint>("Label").ToArray();
        answers.Should().HaveCount(500);
        labels.Should().OnlyContain(l => l == 1 || l == 2, "raw keys are 1-based");
        labels.Select(l => l == 1 ? "yes" : "no").Should().Equal(answers);
    }

    [Fact]
    public void Open_tasks_and_open_splits_have_no_label()
    {
        Ml.Llm().Tasks.Load("gsm8k", "test", limit: 5).Schema.Select(c => c.Name).Should().Equal("Prompt", "Answer");
        Ml.Llm().Tasks.Load("int-add-long", LongAdditionTask.OodDecimal, limit: 5).Schema.Select(c => c.Name).Should().Equal("Prompt", "Answer");
        Ml.Llm().Tasks.Load("int-add-long", "test", limit: 5).Schema.Select(c => c.Name).Should().Contain("Label");
    }

    [Fact]
    public void Limit_keeps_the_first_rows()
    {
        var all = Ml.Llm().Tasks.Load("int-sum").GetColumn<string>("Prompt").ToArray();
        Ml.Llm().Tasks.Load("int-sum", limit: 10).GetColumn<string>("Prompt").Should().Equal(all.Take(10));
        all.Should().HaveCount(2000);
    }

    [Fact]
    public void Registry_names_tasks_and_rejects_unknown_names_and_splits()
    {
        TaskRegistry.Default.Names.Should().Equal("int-sum", "int-mult", "count", "dyck", "int-add-long", "gsm8k", "int-mult-cued", "int-add-cued");
        var unknown = () => TaskRegistry.Default.Get("nope");
        unknown.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'nope'*int-sum, int-mult*");
        var badSplit = () => TaskRegistry.Default.Get("int-sum").GetExamples("ood-length");
        badSplit.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'int-sum'*no split 'ood-length'*train, test*");
        TaskRegistry.Default.Get("INT-SUM").Name.Should().Be("int-sum");
    }

    [Fact]
    public void Continuations_put_one_space_between_prompt_and_answer()
    {
        TaskFormat.Continuation("12").Should().Be(" 12");
        TaskFormat.FullText("3 + 9 =", "12").Should().Be("3 + 9 = 12");
    }
}
