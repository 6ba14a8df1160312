using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// The first k training examples, one "prompt answer" line each, before every test prompt (k = 0, 1, 2, 4, …). The
/// payload is the examples' arithmetic code under the model; larger k stops where the context is full.
/// </summary>
public sealed class InContextExamplesStrategy : IComplexityStrategy
{
    public const string StrategyName = "icl";

    /// <summary>Separator after each example.</summary>
    public const string ExampleSeparator = "\n";

    /// <param name="counts">The k to try; default 0, 1, 2, 4, … up to the budget's MaxInContextExamples.</param>
    public InContextExamplesStrategy(IEnumerable<int>? counts = null)
    {
        Counts = counts?.ToArray();
        if (Counts is not null && Counts.Any(k => k < 0)) throw new ArgumentOutOfRangeException(nameof(counts), "Example counts must not be negative.");
    }

    public string Name => StrategyName;

    /// <summary>The k to try, or null for the doubling default.</summary>
    public IReadOnlyList<int>? Counts { get; }

    /// <summary>The prefix of the first <paramref name="k"/> examples.</summary>
    public static string Prefix(IReadOnlyList<TaskExample> examples, int k) =>
        string.Concat(examples.Take(k).Select(e => TaskFormat.FullText(e.Prompt, e.Answer) + ExampleSeparator));

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var counts = Counts ?? Doubling(context.Budget.MaxInContextExamples);
        foreach (var k in counts)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (k > context.Train.Count)
            {
                context.Note($"{Name} k={k}: the training split has only {context.Train.Count} examples; stopped.");
                yield break;
            }
            var prefix = Prefix(context.Train, k);
            if (!context.FitsContext(prefix))
            {
                context.Note($"{Name} k={k}: examples + test rows exceed the model's {context.Model.Config.MaxPositionEmbeddings}-token context; stopped.");
                yield break;
            }
            yield return CodedPrefix.Program(context, prefix, $"k={k}");
        }
    }

    /// <summary>0, 1, 2, 4, … ≤ max.</summary>
    internal static IEnumerable<int> Doubling(int max)
    {
        yield return 0;
        for (var k = 1; k <= max; k *= 2) yield return k;
    }
}
