using LLMML.Rasp.Language;

namespace LLMML.Rasp.Tests;

/// <summary>Seeded random inputs: every length 1..max, a fixed count per length.</summary>
internal static class RandomInputs
{
    public static IEnumerable<RaspValue[]> Generate(IReadOnlyList<RaspValue> vocab, int maxLength, int perLength, int seed)
    {
        var rng = new Random(seed);
        for (var n = 1; n <= maxLength; n++)
            for (var i = 0; i < perLength; i++)
                yield return Enumerable.Range(0, n).Select(_ => vocab[rng.Next(vocab.Count)]).ToArray();
    }

    public static RaspValue[] Chars(string s) => s.Select(c => (RaspValue)c.ToString()).ToArray();
    public static RaspValue[] Numbers(params int[] xs) => xs.Select(x => (RaspValue)x).ToArray();
}
