namespace LLMML.Complexity.Reporting;

/// <summary>
/// The frontier of one model's runs: sorted by bits (ties: higher score first), a run is kept when its score beats
/// every shorter run's — a run that only matches a shorter one is dominated and left out. C(δ) is the bits of the first frontier run scoring ≥ δ — an upper bound on the task's
/// complexity, since any program found is one.
/// </summary>
public static class ParetoFrontier
{
    public static IReadOnlyList<ComplexityRun> Of(IEnumerable<ComplexityRun> runs, Accounting accounting = Accounting.Ours)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var frontier = new List<ComplexityRun>();
        var best = double.NegativeInfinity;
        foreach (var run in runs.OrderBy(r => r.BitsUnder(accounting)).ThenByDescending(r => r.Score))
        {
            if (run.Score <= best) continue;
            frontier.Add(run);
            best = run.Score;
        }
        return frontier;
    }

    /// <summary>C(δ): bits of the shortest run in <paramref name="frontier"/> with score ≥ <paramref name="target"/>, or null when none reaches it.</summary>
    public static long? Complexity(IEnumerable<ComplexityRun> frontier, double target, Accounting accounting = Accounting.Ours)
    {
        ArgumentNullException.ThrowIfNull(frontier);
        return frontier.Where(r => r.Score >= target).Select(r => (long?)r.BitsUnder(accounting)).Min();
    }
}
