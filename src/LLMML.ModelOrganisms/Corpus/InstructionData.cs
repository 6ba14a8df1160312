using System.Text.RegularExpressions;
using LLMML.MLNet.Tasks;

namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// Instruction-style question/answer lines for post-training, built from the TRAIN splits of the int-sum, int-mult,
/// count and dyck tasks. Half of the lines use the task's own prompt format (as instruction-tuning data does: a model
/// is taught the formats users ask in), the rest rewrite the same pairs into other formats so the habit is not
/// tied to one spelling. Each operator keeps formats of its own ("+"/"plus" against "x"/"times"): the first
/// post-trained organism mixed them in near-identical shapes and answered sums with products. Test pairs never
/// appear, so post-trained accuracy on a test split measures pretraining knowledge surfaced by format habits.
/// </summary>
public sealed partial class InstructionData : ISentenceSource
{
    private readonly (string A, string B, string Answer)[] _sums;
    private readonly (string A, string B, string Answer)[] _products;
    private readonly (string Text, string Answer)[] _counts;
    private readonly (string Text, string Answer)[] _brackets;

    // The first format of each family is the task's own (prompt + " " + answer); it is drawn half of the time.
    private static readonly string[] SumFormats =
        ["{0} + {1} = {2}", "what is {0} + {1}? {2}", "{0}+{1}={2}", "{0} plus {1} = {2}", "Q: {0} + {1}\nA: {2}"];
    private static readonly string[] ProductFormats =
        ["{0} x {1} = {2}", "what is {0} x {1}? {2}", "{0}x{1}={2}", "{0} times {1} = {2}", "Q: {0} x {1}\nA: {2}"];
    private static readonly string[] CountFormats =
        ["What is the number of 'x' in this text? {0}\nAnswer: {1}", "How many 'x' are in this text? {0}\nA: {1}", "Count the x in: {0}\nAnswer: {1}"];
    private static readonly string[] BracketFormats =
        ["Are parenthesis here correctly matched? {0}\nAnswer: {1}", "Are these brackets balanced? {0}\nAnswer: {1}", "Is {0} correctly matched?\nA: {1}"];

    /// <summary>Share of lines written in the task's own prompt format.</summary>
    public const double TaskFormatShare = 0.5;

    public InstructionData(TaskRegistry tasks)
    {
        _sums = Operands(tasks.Get("int-sum"), SumPrompt());
        _products = Operands(tasks.Get("int-mult"), ProductPrompt());
        _counts = Texts(tasks.Get("count"), CountPrompt());
        _brackets = Texts(tasks.Get("dyck"), DyckPrompt());
    }

    public string Name => "instructions";

    /// <summary>The task prompt formats, for checks that their lines come from train splits only.</summary>
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
        string.Format(formats[random.NextDouble() < TaskFormatShare ? 0 : 1 + random.Next(formats.Length - 1)], args);

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
