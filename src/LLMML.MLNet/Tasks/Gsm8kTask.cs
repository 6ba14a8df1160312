using System.Text.Json;

namespace LLMML.MLNet.Tasks;

/// <summary>
/// GSM8K grade-school maths word problems (openai/grade-school-math, MIT), read from
/// <c>data/gsm8k/{train,test}.jsonl</c>. Prompt "Question: {question}\nAnswer:"; the answer is the number after
/// "####" in the reference solution, with thousands separators removed ("1,080" → "1080"). Answers are open-ended.
/// </summary>
public sealed class Gsm8kTask : LlmTask
{
    private readonly string? _dataDirectory;

    /// <summary>Reads from <paramref name="dataDirectory"/> (the folder holding train.jsonl and test.jsonl), or finds <c>data/gsm8k</c> when null.</summary>
    public Gsm8kTask(string? dataDirectory = null) => _dataDirectory = dataDirectory;

    /// <inheritdoc />
    public override string Name => "gsm8k";

    /// <inheritdoc />
    public override string Description =>
        "GSM8K word problems (openai/grade-school-math, MIT): \"Question: {question}\\nAnswer:\" → the final number after \"####\" " +
        "(commas removed). Train 7,473 / test 1,319 from data/gsm8k. Open-ended answers, so no Label column.";

    /// <inheritdoc />
    public override IReadOnlyList<string>? AnswerSet => null;

    /// <inheritdoc />
    public override IReadOnlyList<string> SplitNames { get; } = [TaskSplits.Train, TaskSplits.Test];

    /// <summary>The prompt for a question.</summary>
    public static string PromptFor(string question) => $"Question: {question}\nAnswer:";

    /// <inheritdoc />
    protected override string DescribeSplit(string split) => $"data/gsm8k/{split}.jsonl";

    /// <inheritdoc />
    protected override IReadOnlyList<TaskExample> Generate(string split)
    {
        var dir = _dataDirectory ?? TaskData.FindDirectory("gsm8k", "train.jsonl");
        var path = Path.Combine(dir, split + ".jsonl");
        if (!File.Exists(path)) throw new FileNotFoundException($"GSM8K split file '{path}' does not exist.", path);
        var examples = new List<TaskExample>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            examples.Add(ParseLine(line, $"{path}:{lineNumber}"));
        }
        return examples;
    }

    /// <summary>Parses one JSONL record <c>{"question", "answer"}</c>; <paramref name="where"/> names it in errors.</summary>
    public static TaskExample ParseLine(string line, string where)
    {
        string question, solution;
        try
        {
            using var doc = JsonDocument.Parse(line);
            question = doc.RootElement.GetProperty("question").GetString() ?? throw new InvalidDataException($"{where}: 'question' is null.");
            solution = doc.RootElement.GetProperty("answer").GetString() ?? throw new InvalidDataException($"{where}: 'answer' is null.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{where}: not a {{\"question\", \"answer\"}} JSON record: {e.Message}", e);
        }
        return new TaskExample(PromptFor(question), FinalAnswer(solution, where));
    }

    /// <summary>The number after the last "####" of a reference solution, commas removed.</summary>
    public static string FinalAnswer(string solution, string where = "GSM8K solution")
    {
        int marker = solution.LastIndexOf("####", StringComparison.Ordinal);
        if (marker < 0) throw new InvalidDataException($"{where}: the solution has no '####' final answer.");
        var answer = solution[(marker + 4)..].Trim().Replace(",", "", StringComparison.Ordinal);
        if (answer.Length == 0 || !decimal.TryParse(answer, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
                System.Globalization.CultureInfo.InvariantCulture, out _))
            throw new InvalidDataException($"{where}: the final answer '{answer}' is not a number.");
        return answer;
    }
}
