namespace LLMML.Sweeps.Trials;

/// <summary>What a trial runner returns: the metric the sweep optimises and any others worth keeping.</summary>
/// <param name="Metric">The optimised metric.</param>
/// <param name="Others">Further named metrics (shown in the leaderboard and JSON).</param>
public sealed record TrialMetrics(double Metric, IReadOnlyDictionary<string, double>? Others = null);
