using System.Globalization;
using System.Text;

namespace LLMML.MLNet.Tasks;

/// <summary>
/// count (tracr-injection paper): "What is the number of 'x' in this text? {x y x …}\nAnswer:" → the number
/// of x tokens. In distribution: 5–40 space-separated tokens of x and y; the count is drawn uniformly
/// from 0..length so every answer is common. OOD: x only, y replaced by z, lengths 41–120.
/// </summary>
public sealed class CountTask : SyntheticTask
{
    /// <summary>Longest text of any split; the answer set is 0..MaxLength.</summary>
    public const int MaxLength = 120;

    /// <summary>Split names of the OOD variants.</summary>
    public const string OodXOnly = "ood-x-only", OodZ = "ood-z", OodLength = "ood-length";

    private readonly string[] _answerSet = Enumerable.Range(0, MaxLength + 1).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Defines the task with the given split sizes (ood-x-only always has one example per length 5..120).</summary>
    public CountTask(int trainCount = 2000, int testCount = 500, int oodCount = 500, int seed = 42)
        : base(trainCount, testCount, oodCount, seed)
    {
    }

    /// <summary>The prompt for a token text.</summary>
    public static string PromptFor(string text) => $"What is the number of 'x' in this text? {text}\nAnswer:";

    /// <inheritdoc />
    public override string Name => "count";

    /// <inheritdoc />
    public override string Description =>
        "Counting (tracr-injection paper): \"What is the number of 'x' in this text? x y x …\\nAnswer:\" → number of x. " +
        $"Train {TrainCount} / test {TestCount} distinct texts of 5–40 tokens (seed {Seed}), count uniform in 0..length. " +
        $"OOD: x only (lengths 5–{MaxLength}), y replaced by z, lengths 41–{MaxLength}. Answers 0..{MaxLength}.";

    /// <inheritdoc />
    public override IReadOnlyList<string>? AnswerSet => _answerSet;

    /// <inheritdoc />
    public override IReadOnlyList<string> SplitNames { get; } = [TaskSplits.Train, TaskSplits.Test, OodXOnly, OodZ, OodLength];

    /// <inheritdoc />
    protected override string DescribeSplit(string split) => split switch
    {
        TaskSplits.Train => "x/y texts of 5–40 tokens",
        TaskSplits.Test => "other x/y texts of 5–40 tokens",
        OodXOnly => $"texts of only x, one per length 5–{MaxLength}",
        OodZ => "x/z texts of 5–40 tokens (z never seen)",
        OodLength => $"x/y texts of 41–{MaxLength} tokens",
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <inheritdoc />
    protected override IReadOnlyList<TaskExample> Generate(string split)
    {
        switch (split)
        {
            case TaskSplits.Train:
            case TaskSplits.Test:
                {
                    // One stream for both so they are disjoint: train first, then test.
                    var r = new Random(Seed);
                    var all = Sampling.Distinct(() => Draw(r, 5, 40, 'y'), TrainCount + TestCount);
                    return split == TaskSplits.Train ? all.Take(TrainCount).ToArray() : all.Skip(TrainCount).ToArray();
                }
            case OodXOnly:
                return Enumerable.Range(5, MaxLength - 4).Select(n => Example(Enumerable.Repeat('x', n).ToArray())).ToArray();
            case OodZ:
                {
                    var r = new Random(Seed + 1);
                    return Sampling.Distinct(() => Draw(r, 5, 40, 'z'), OodCount);
                }
            case OodLength:
                {
                    var r = new Random(Seed + 2);
                    return Sampling.Distinct(() => Draw(r, 41, MaxLength, 'y'), OodCount);
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(split));
        }
    }

    private static TaskExample Draw(Random r, int minLength, int maxLength, char other)
    {
        int n = r.Next(minLength, maxLength + 1);
        int xs = r.Next(n + 1);
        var tokens = new char[n];
        for (int i = 0; i < n; i++) tokens[i] = i < xs ? 'x' : other;
        Sampling.Shuffle(tokens, r);
        return Example(tokens);
    }

    private static TaskExample Example(char[] tokens)
    {
        var text = new StringBuilder(tokens.Length * 2);
        int xs = 0;
        for (int i = 0; i < tokens.Length; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(tokens[i]);
            if (tokens[i] == 'x') xs++;
        }
        return new TaskExample(PromptFor(text.ToString()), xs.ToString(CultureInfo.InvariantCulture));
    }
}
