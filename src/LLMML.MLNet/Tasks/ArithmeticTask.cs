using System.Globalization;

namespace LLMML.MLNet.Tasks;

/// <summary>
/// Two-operand integer arithmetic over every pair i, j &lt; <see cref="OperandLimit"/>: all pairs are shuffled
/// with the seed and the first <see cref="TrainCount"/> become the train split, the rest the test split.
/// Used for <c>int-sum</c> ("{i} + {j} =", 100, 8,000 / 2,000) and <c>int-mult</c> ("{i} x {j} =", 20, 320 / 80), and for
/// the cued variants of int-mult that probe the competing organism ("mul: {i} x {j} =", "add: {i} x {j} =").
/// </summary>
public sealed class ArithmeticTask : LlmTask
{
    private readonly Func<int, int, int> _apply;
    private readonly string[] _answerSet;

    /// <summary>Defines the task.</summary>
    /// <param name="promptPrefix">Written before the operands (a cue such as "mul: "); empty for the plain tasks.</param>
    public ArithmeticTask(string name, string operatorSymbol, Func<int, int, int> apply, int operandLimit, int trainCount, int seed, string description, string promptPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(promptPrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(operandLimit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainCount, operandLimit * operandLimit);
        Name = name;
        OperatorSymbol = operatorSymbol;
        _apply = apply;
        OperandLimit = operandLimit;
        TrainCount = trainCount;
        Seed = seed;
        Description = description;
        PromptPrefix = promptPrefix;
        _answerSet = Enumerable.Range(0, operandLimit).SelectMany(i => Enumerable.Range(0, operandLimit).Select(j => apply(i, j)))
            .Distinct().Order().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>int-sum: "{i} + {j} =", i, j &lt; 100, 8,000 train / 2,000 test, seed 42.</summary>
    public static ArithmeticTask IntSum() => new("int-sum", "+", (i, j) => i + j, 100, 8000, 42,
        "Two-digit addition \"{i} + {j} =\" → i + j, over all 10,000 pairs i, j < 100, shuffled with seed 42 and split 8,000 / 2,000. Answers 0..198.");

    /// <summary>int-mult: "{i} x {j} =", i, j &lt; 20, 320 train / 80 test, seed 42.</summary>
    public static ArithmeticTask IntMult() => new("int-mult", "x", (i, j) => i * j, 20, 320, 42,
        "Multiplication table \"{i} x {j} =\" → i · j, over all 400 pairs i, j < 20, shuffled with seed 42 and split 320 / 80. Answers: the distinct products.");

    /// <summary>
    /// int-mult-cued: "mul: {i} x {j} =" → i · j over int-mult's pairs and split. The competing organism saw this cue in
    /// pretraining; its accuracy here is the knowledge that the uncued prompt fails to surface.
    /// </summary>
    public static ArithmeticTask IntMultCued() => new("int-mult-cued", "x", (i, j) => i * j, 20, 320, 42,
        "Cued multiplication \"mul: {i} x {j} =\" → i · j, int-mult's pairs and split (320 / 80).", "mul: ");

    /// <summary>
    /// int-add-cued: "add: {i} x {j} =" → i + j over int-mult's pairs and split: the competing organism's other cued
    /// behaviour, whose directions can be compared with those pruned for multiplication.
    /// </summary>
    public static ArithmeticTask IntAddCued() => new("int-add-cued", "x", (i, j) => i + j, 20, 320, 42,
        "Cued competitor \"add: {i} x {j} =\" → i + j, int-mult's pairs and split (320 / 80).", "add: ");

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <summary>The operator as written in prompts.</summary>
    public string OperatorSymbol { get; }

    /// <summary>Operands range over 0 ≤ i, j &lt; OperandLimit.</summary>
    public int OperandLimit { get; }

    /// <summary>Pairs in the train split.</summary>
    public int TrainCount { get; }

    /// <summary>Shuffle seed.</summary>
    public int Seed { get; }

    /// <summary>Text before the operands ("" for int-sum and int-mult).</summary>
    public string PromptPrefix { get; }

    /// <summary>The prompt for i, j.</summary>
    public string PromptFor(int i, int j) => $"{PromptPrefix}{i} {OperatorSymbol} {j} =";

    /// <inheritdoc />
    public override IReadOnlyList<string>? AnswerSet => _answerSet;

    /// <inheritdoc />
    public override IReadOnlyList<string> SplitNames { get; } = [TaskSplits.Train, TaskSplits.Test];

    /// <inheritdoc />
    protected override string DescribeSplit(string split) => split == TaskSplits.Train
        ? $"first {TrainCount} of the shuffled pairs"
        : $"remaining {OperandLimit * OperandLimit - TrainCount} pairs";

    /// <inheritdoc />
    protected override IReadOnlyList<TaskExample> Generate(string split)
    {
        var pairs = new List<(int I, int J)>(OperandLimit * OperandLimit);
        for (int i = 0; i < OperandLimit; i++)
            for (int j = 0; j < OperandLimit; j++)
                pairs.Add((i, j));
        Sampling.Shuffle(pairs, new Random(Seed));
        var part = split == TaskSplits.Train ? pairs.Take(TrainCount) : pairs.Skip(TrainCount);
        return part.Select(p => new TaskExample(PromptFor(p.I, p.J), _apply(p.I, p.J).ToString(CultureInfo.InvariantCulture))).ToArray();
    }
}
