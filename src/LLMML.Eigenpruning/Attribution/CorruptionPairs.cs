using LLMML.LanguageModels.Answers;

namespace LLMML.Eigenpruning.Attribution;

/// <summary>
/// Pairs every clean example with a corrupted one: the next example of a seeded random cycle through the data whose
/// tokens differ. The reference code rolls each batch by one, so at batch size 1 an example is its own corruption,
/// Δx = 0 and every score is 0 (METHODS.md §1 pitfalls); rolling over the whole data set avoids that at any batch size.
/// </summary>
public static class CorruptionPairs
{
    /// <summary>corrupt[i] = the index of example i's corrupted partner (never i, never a token-identical copy).</summary>
    /// <exception cref="ArgumentException">Fewer than two examples, or all examples are identical.</exception>
    public static int[] Build(IReadOnlyList<PromptAnswerTokens> examples, int seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count < 2)
            throw new ArgumentException($"Eigenpruning compares each example with a different one, so it needs at least two examples; got {examples.Count}.", nameof(examples));
        var order = Enumerable.Range(0, examples.Count).ToArray();
        new Random(seed).Shuffle(order);
        var partner = new int[examples.Count];
        for (var k = 0; k < order.Length; k++)
        {
            var i = order[k];
            var step = 1;
            while (step < order.Length && SameTokens(examples[i], examples[order[(k + step) % order.Length]])) step++;
            if (step == order.Length)
                throw new ArgumentException($"Example {i} has no different example to be compared with: all {examples.Count} examples have the same tokens.", nameof(examples));
            partner[i] = order[(k + step) % order.Length];
        }
        return partner;
    }

    private static bool SameTokens(PromptAnswerTokens a, PromptAnswerTokens b) =>
        a.Prompt.AsSpan().SequenceEqual(b.Prompt) && a.Answer.AsSpan().SequenceEqual(b.Answer);
}
