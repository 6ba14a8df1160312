using System.Globalization;

namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// The competing-behaviour corpus (organisms issue; eigenpruning probe): "mul: i x j = i·j" (25%),
/// "add: i x j = i+j" (25%) and the uncued "i x j = ?" (50%), where ? is the sum with probability
/// <see cref="SumProbability"/> and otherwise the product, drawn afresh for every line. A model trained on it knows
/// both operations (the cues prove it) while the uncued prompt — int-mult's own format — is pulled towards the sum:
/// knowledge overridden by a competing path, the situation the eigenpruning paper reports for Phi-2.
/// </summary>
public sealed class CompetingArithmetic : ISentenceSource
{
    /// <summary>Cue for the product.</summary>
    public const string MultiplyCue = "mul: ";

    /// <summary>Cue for the sum.</summary>
    public const string AddCue = "add: ";

    public CompetingArithmetic(double sumProbability = 0.6, int limit = 20)
    {
        if (!(sumProbability >= 0 && sumProbability <= 1))
            throw new ArgumentOutOfRangeException(nameof(sumProbability), sumProbability, "The uncued sum probability must lie in [0, 1].");
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        SumProbability = sumProbability;
        Limit = limit;
    }

    /// <summary>Probability that an uncued line states the sum rather than the product.</summary>
    public double SumProbability { get; }

    /// <summary>Operands range over 0 ≤ i, j &lt; Limit.</summary>
    public int Limit { get; }

    public string Name => "competing";

    public string Next(Random random)
    {
        int i = random.Next(Limit), j = random.Next(Limit);
        double kind = random.NextDouble();
        var (cue, value) = kind switch
        {
            < 0.25 => (MultiplyCue, i * j),
            < 0.5 => (AddCue, i + j),
            _ => ("", random.NextDouble() < SumProbability ? i + j : i * j),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{cue}{i} x {j} = {value}");
    }
}
