using LLMML.LanguageModels.Answers;

namespace LLMML.Eigenpruning.Attribution;

/// <summary>
/// Pairs every clean example with a corrupted one (<see cref="Corruption"/>). The default is the next example of a
/// seeded random cycle through the data whose tokens differ. The reference code rolls each batch by one, so at batch
/// size 1 an example is its own corruption, Δx = 0 and every score is 0 (METHODS.md §1 pitfalls); rolling over the
/// whole data set avoids that at any batch size, and <see cref="Corruption.BatchRoll"/> keeps the original on purpose.
/// </summary>
public static class CorruptionPairs
{
    /// <summary>corrupt[i] = the index of example i's corrupted partner (never i, never a token-identical copy).</summary>
    /// <exception cref="ArgumentException">Fewer than two examples, or all examples are identical.</exception>
    public static int[] Build(IReadOnlyList<PromptAnswerTokens> examples, int seed) => Build(examples, Corruption.Cycle, seed, 1);

    /// <summary>Partner indexes for <paramref name="corruption"/> (not <see cref="Corruption.Counterfactual"/>, whose partners are given).</summary>
    /// <param name="batchSize">The batch rolled by <see cref="Corruption.BatchRoll"/>.</param>
    public static int[] Build(IReadOnlyList<PromptAnswerTokens> examples, Corruption corruption, int seed, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (corruption == Corruption.BatchRoll)
        {
            // The released code: torch.roll(batch, 1) per batch; at batch size 1 each example is its own partner.
            ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
            var rolled = new int[examples.Count];
            for (var start = 0; start < examples.Count; start += batchSize)
            {
                var count = Math.Min(batchSize, examples.Count - start);
                for (var b = 0; b < count; b++) rolled[start + b] = start + (b + count - 1) % count;
            }
            return rolled;
        }
        if (corruption == Corruption.Counterfactual)
            throw new ArgumentException("Counterfactual corruption takes its partners from the caller (one counterfactual per example), not from pairing.", nameof(corruption));
        if (examples.Count < 2)
            throw new ArgumentException($"Eigenpruning compares each example with a different one, so it needs at least two examples; got {examples.Count}.", nameof(examples));
        var partner = Cycle(examples, Enumerable.Range(0, examples.Count).ToArray(), seed)
            ?? throw new ArgumentException($"Example 0 has no different example to be compared with: all {examples.Count} examples have the same tokens.", nameof(examples));
        if (corruption == Corruption.SameLengthShuffle)
            foreach (var group in Enumerable.Range(0, examples.Count).GroupBy(i => (examples[i].Prompt.Length, examples[i].Answer.Length)))
            {
                // A derangement within the group: every position of the clean row has a counterpart in its partner.
                var members = group.ToArray();
                if (members.Length < 2) continue;
                if (Cycle(examples, members, seed + group.Key.Item1 * 7919 + group.Key.Item2) is { } within)
                    foreach (var i in members) partner[i] = within[i];
            }
        return partner;
    }

    /// <summary>A seeded random cycle through <paramref name="members"/>, skipping token-identical partners; null if all are identical.</summary>
    private static int[]? Cycle(IReadOnlyList<PromptAnswerTokens> examples, int[] members, int seed)
    {
        var order = members.ToArray();
        new Random(seed).Shuffle(order);
        var partner = new int[examples.Count];
        for (var k = 0; k < order.Length; k++)
        {
            var i = order[k];
            var step = 1;
            while (step < order.Length && SameTokens(examples[i], examples[order[(k + step) % order.Length]])) step++;
            if (step == order.Length) return null;
            partner[i] = order[(k + step) % order.Length];
        }
        return partner;
    }

    private static bool SameTokens(PromptAnswerTokens a, PromptAnswerTokens b) =>
        a.Prompt.AsSpan().SequenceEqual(b.Prompt) && a.Answer.AsSpan().SequenceEqual(b.Answer);
}
