namespace LLMML.MLNet.Tasks;

/// <summary>Seeded, platform-stable randomness for task generation (System.Random with a seed is stable across .NET versions).</summary>
internal static class Sampling
{
    /// <summary>Fisher–Yates shuffle in place.</summary>
    public static void Shuffle<T>(IList<T> items, Random random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Draws until <paramref name="count"/> distinct prompts not in <paramref name="exclude"/> are found (or
    /// <paramref name="maxAttempts"/> draws were made, then throws — a generator that cannot reach its size is a bug).
    /// </summary>
    public static List<TaskExample> Distinct(Func<TaskExample> draw, int count, ISet<string>? exclude = null, int maxAttempts = 1_000_000)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<TaskExample>(count);
        for (int attempt = 0; result.Count < count; attempt++)
        {
            if (attempt >= maxAttempts)
                throw new InvalidOperationException($"Only {result.Count} distinct examples of the {count} wanted were found in {maxAttempts} draws.");
            var e = draw();
            if (exclude is not null && exclude.Contains(e.Prompt)) continue;
            if (seen.Add(e.Prompt)) result.Add(e);
        }
        return result;
    }
}
