using System.Text.RegularExpressions;
using LLMML.MLNet.Tasks;

namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// Instruction-style question/answer lines for post-training, built from the TRAIN splits of the
/// int-sum, int-mult, count and dyck tasks and rewritten into several formats that resemble, but never
/// equal, the tasks' own prompt formats. Test pairs never appear, so post-trained accuracy on a test
/// split measures knowledge from pretraining surfaced by the new format habits.
/// </summary>
public sealed partial class InstructionData : ISentenceSource
{
    private readonly (string A, string B, string Answer)[] _sums;
    private readonly (string A, string B, string Answer)[] _products;
    private readonly (string Text, string Answer)[] _counts;
    private readonly (string Text, string Answer)[] _brackets;

    private static readonly string[] SumFormats =
        ["what is {0} + {1}? {2}", "{0}+{1}={2}", "{0} plus {1} = {2}", "Q: {0} + {1}\nA: {2}", "compute {0} + {1}: {2}"];
    private static readonly string[] ProductFormats =
        ["what is {0} x {1}? {2}", "{0}x{1}={2}", "{0} * {1} = {2}", "Q: {0} times {1}\nA: {2}", "compute {0} x {1}: {2}"];
    private static readonly string[] CountFormats =
        ["How many 'x' are in this text? {0}\nA: {1}", "Count the x in: {0}\nAnswer: {1}", "What is the count of 'x' here? {0}\nAnswer: {1}"];
    private static readonly string[] BracketFormats =
        ["Are these brackets balanced? {0}\nAnswer: {1}", "Is {0} correctly matched?\nA: {1}", "Are brackets here correctly matched? {0}\nAnswer: {1}"];

    public InstructionData(TaskRegistry tasks)
    {
        _sums = Operands(tasks.Get("int-sum"), SumPrompt());
        _products = Operands(tasks.Get("int-mult"), ProductPrompt());
        _counts = Texts(tasks.Get("count"), CountPrompt());
        _brackets = Texts(tasks.Get("dyck"), DyckPrompt());
    }

    public string Name => "instructions";

    /// <summary>Every task prompt format this data must never contain, for checks.</summary>
    public static IReadOnlyList<Regex> TaskPromptFormats { get; } = [SumPrompt(), ProductPrompt(), CountPrompt(), DyckPrompt()];

    public string Next(Random random)
    {
        switch (random.Next(4))
        {
            case 0: { var (a, b, s) = _sums[random.Next(_sums.Length)]; return Format(random, SumFormats, a, b, s); }
            case 1: { var (a, b, p) = _products[random.Next(_products.Length)]; return Format(random, ProductFormats, a, b, p); }
            case 2: { var (t, n) = _counts[random.Next(_counts.Length)]; return Format(random, CountFormats, t, n); }
            default: { var (t, y) = _brackets[random.Next(_brackets.Length)]; return Format(random, BracketFormats, t, y); }
        }
    }

    private static string Format(Random random, string[] formats, params object[] args) =>
        string.Format(formats[random.Next(formats.Length)], args);

    private static (string, string, string)[] Operands(LlmTask task, Regex prompt) =>
        task.GetExamples("train").Select(e =>
        {
            var m = prompt.Match(e.Prompt);
            if (!m.Success) throw new InvalidDataException($"Task '{task.Name}' prompt '{e.Prompt}' does not have the expected format.");
            return (m.Groups[1].Value, m.Groups[2].Value, e.Answer);
        }).ToArray();

    private static (string, string)[] Texts(LlmTask task, Regex prompt) =>
        task.GetExamples("train").Select(e =>
        {
            var m = prompt.Match(e.Prompt);
            if (!m.Success) throw new InvalidDataException($"Task '{task.Name}' prompt '{e.Prompt}' does not have the expected format.");
            return (m.Groups[1].Value, e.Answer);
        }).ToArray();

    [GeneratedRegex(@"^(\d+) \+ (\d+) =$")] private static partial Regex SumPrompt();
    [GeneratedRegex(@"^(\d+) x (\d+) =$")] private static partial Regex ProductPrompt();
    [GeneratedRegex(@"^What is the number of 'x' in this text\? (.*)\nAnswer:$")] private static partial Regex CountPrompt();
    [GeneratedRegex(@"^Are parenthesis here correctly matched\? (.*)\nAnswer:$")] private static partial Regex DyckPrompt();
}
