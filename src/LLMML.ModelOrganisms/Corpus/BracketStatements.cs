using LLMML.MLNet.Tasks;

namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// Whether a string over ()[]{} is shuffle-Dyck balanced (each bracket kind balanced on its own),
/// stated in prose. Half the strings are balanced; the others are balanced strings with one
/// bracket changed, so the two classes look alike. Both come from the dyck task's own generators
/// (<see cref="DyckTask.Matched"/>, <see cref="DyckTask.NearMiss"/>): corpus and task share one definition.
/// </summary>
public sealed class BracketStatements(int minPairs = 1, int maxPairs = 8) : ISentenceSource
{
    private static readonly string[] BalancedPhrasings =
    [
        "the brackets {0} are balanced.",
        "{0} is correctly matched.",
        "every bracket in {0} is closed.",
    ];

    private static readonly string[] UnbalancedPhrasings =
    [
        "the brackets {0} are not balanced.",
        "{0} is not correctly matched.",
        "some bracket in {0} is not closed.",
    ];

    public string Name => "brackets";

    public string Next(Random random)
    {
        if (random.Next(2) == 0)
            return string.Format(BalancedPhrasings[random.Next(BalancedPhrasings.Length)], DyckTask.Matched(random, 2 * minPairs, 2 * maxPairs));
        string broken = DyckTask.NearMiss(random, 2 * minPairs, 2 * maxPairs);
        return string.Format(UnbalancedPhrasings[random.Next(UnbalancedPhrasings.Length)], broken);
    }
}
