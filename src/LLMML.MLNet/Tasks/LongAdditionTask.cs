using System.Globalization;

namespace LLMML.MLNet.Tasks;

/// <summary>
/// int-add-long, the addition task of the tracr-injection paper: "{i} + {j} =" with i, j &lt; 450.
/// Train and test are disjoint samples of the 202,500 pairs; three OOD splits probe generalisation.
/// </summary>
public sealed class LongAdditionTask : SyntheticTask
{
    /// <summary>Operands of train/test range over 0 ≤ i, j &lt; 450.</summary>
    public const int OperandLimit = 450;

    /// <summary>Split names of the OOD variants.</summary>
    public const string OodFourDigit = "ood-4digit", OodCarry = "ood-carry", OodDecimal = "ood-decimal";

    private readonly string[] _answerSet = Enumerable.Range(0, 2 * OperandLimit - 1).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Defines the task with the given split sizes.</summary>
    public LongAdditionTask(int trainCount = 8000, int testCount = 2000, int oodCount = 500, int seed = 42)
        : base(trainCount, testCount, oodCount, seed)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainCount + testCount, OperandLimit * OperandLimit);
    }

    /// <inheritdoc />
    public override string Name => "int-add-long";

    /// <inheritdoc />
    public override string Description =>
        $"Addition \"{{i}} + {{j}} =\" → i + j with i, j < {OperandLimit} (the tracr-injection paper's task). Train {TrainCount} / test {TestCount} are disjoint " +
        $"samples of all pairs (seed {Seed}); answers 0..{2 * OperandLimit - 2}. OOD: mostly 4-digit operands, carry cascades through every digit, decimals.";

    /// <inheritdoc />
    public override IReadOnlyList<string>? AnswerSet => _answerSet;

    /// <inheritdoc />
    public override IReadOnlyList<string> SplitNames { get; } = [TaskSplits.Train, TaskSplits.Test, OodFourDigit, OodCarry, OodDecimal];

    /// <inheritdoc />
    protected override string DescribeSplit(string split) => split switch
    {
        TaskSplits.Train => $"{TrainCount} pairs i, j < {OperandLimit}",
        TaskSplits.Test => $"{TestCount} other pairs i, j < {OperandLimit}",
        OodFourDigit => "80% both operands 4-digit, 20% one 4-digit and one < 450",
        OodCarry => "3–4 digit operands whose sum carries through every digit (e.g. 4567 + 5433)",
        OodDecimal => "operands < 450 with one or two decimals (e.g. 12.5 + 3.75 = 16.25)",
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
                    var pairs = new List<(int, int)>(OperandLimit * OperandLimit);
                    for (int i = 0; i < OperandLimit; i++)
                        for (int j = 0; j < OperandLimit; j++)
                            pairs.Add((i, j));
                    Sampling.Shuffle(pairs, new Random(Seed));
                    var part = split == TaskSplits.Train ? pairs.Take(TrainCount) : pairs.Skip(TrainCount).Take(TestCount);
                    return part.Select(p => Example(p.Item1, p.Item2)).ToArray();
                }
            case OodFourDigit:
                {
                    var r = new Random(Seed + 1);
                    return Sampling.Distinct(() =>
                    {
                        int a = r.Next(1000, 10000);
                        int b = r.NextDouble() < 0.8 ? r.Next(1000, 10000) : r.Next(OperandLimit);
                        return r.Next(2) == 0 ? Example(a, b) : Example(b, a);
                    }, OodCount);
                }
            case OodCarry:
                {
                    var r = new Random(Seed + 2);
                    return Sampling.Distinct(() =>
                    {
                        var (a, b) = CarryCascade(r, r.Next(3, 5));
                        return Example(a, b);
                    }, OodCount);
                }
            case OodDecimal:
                {
                    var r = new Random(Seed + 3);
                    return Sampling.Distinct(() =>
                    {
                        decimal a = r.Next(OperandLimit) + r.Next(1, 100) / 100m;
                        decimal b = r.Next(OperandLimit) + r.Next(1, 100) / 100m;
                        return new TaskExample($"{Format(a)} + {Format(b)} =", Format(a + b));
                    }, OodCount);
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(split));
        }
    }

    private static TaskExample Example(int i, int j) =>
        new($"{i} + {j} =", (i + j).ToString(CultureInfo.InvariantCulture));

    /// <summary>Two d-digit numbers whose column sums carry at every digit (units ≥ 10, every other column ≥ 9).</summary>
    private static (int, int) CarryCascade(Random r, int digits)
    {
        int a = 0, b = 0, place = 1;
        for (int k = 0; k < digits; k++, place *= 10)
        {
            int minSum = k == 0 ? 10 : 9;
            int da, db;
            do
            {
                da = r.Next(k == digits - 1 ? 1 : 0, 10);
                db = r.Next(k == digits - 1 ? 1 : 0, 10);
            }
            while (da + db < minSum);
            a += da * place;
            b += db * place;
        }
        return (a, b);
    }

    // Shortest invariant form: 16.20 → "16.2", 16.00 → "16".
    private static string Format(decimal d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
