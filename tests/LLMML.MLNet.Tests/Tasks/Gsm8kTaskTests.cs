using LLMML.MLNet.Tasks;

namespace LLMML.MLNet.Tests.Tasks;

public class Gsm8kTaskTests
{
    private static readonly Gsm8kTask Task = new();

    [Fact]
    public void Reads_both_splits_from_data_gsm8k()
    {
        var train = Task.GetExamples("train");
        Task.GetExamples("test").Should().HaveCount(1319);
        train.Should().HaveCount(7473);
        train[0].Prompt.Should().StartWith("Question: Natalia sold clips to 48 of her friends").And.EndWith("\nAnswer:");
        train[0].Answer.Should().Be("72");
        Task.AnswerSet.Should().BeNull();
        Task.IsClosed("test").Should().BeFalse();
    }

    [Fact]
    public void Every_answer_is_the_number_after_the_marker_without_commas()
    {
        // Independent pass over the raw file.
        var dir = TaskData.FindDirectory("gsm8k", "test.jsonl");
        var raw = File.ReadAllLines(Path.Combine(dir, "test.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("answer").GetString()!)
            .Select(a => a.Split("####").Last().Trim().Replace(",", ""))
            .ToArray();
        Task.GetExamples("test").Select(e => e.Answer).Should().Equal(raw);
        Task.GetExamples("test").Should().Contain(e => e.Answer == "2125", "'2,125' loses its comma");
    }

    [Fact]
    public void Bad_records_are_named()
    {
        Gsm8kTask.FinalAnswer("Some text\n#### 1,234").Should().Be("1234");
        Gsm8kTask.FinalAnswer("#### -5").Should().Be("-5");
        var noMarker = () => Gsm8kTask.ParseLine("""{"question":"q","answer":"no marker"}""", "f.jsonl:3");
        noMarker.Should().Throw<InvalidDataException>().WithMessage("f.jsonl:3*####*");
        var notJson = () => Gsm8kTask.ParseLine("{oops", "f.jsonl:9");
        notJson.Should().Throw<InvalidDataException>().WithMessage("f.jsonl:9*");
        var notNumber = () => Gsm8kTask.FinalAnswer("#### twelve", "f.jsonl:1");
        notNumber.Should().Throw<InvalidDataException>().WithMessage("f.jsonl:1*'twelve'*");
    }
}
