using LLMML.Foundation.Progress;

namespace LLMML.Sweeps.Experiments;

/// <summary>Budgets, parallelism, direction and journal of a sweep.</summary>
public sealed class SweepOptions
{
    /// <summary>Trials in all (a journal's finished trials count).</summary>
    public int MaxTrials { get; set; } = 20;

    /// <summary>Wall-time budget: no trial starts after it, and running ones are cancelled (and not recorded) at it.</summary>
    public TimeSpan? MaxWallTime { get; set; }

    /// <summary>
    /// Trials run at once. Proposals are made in rounds of this many and their results reach the tuner in trial order,
    /// so a seeded sweep proposes the same trials whatever the timing (ASHA's stopping decisions excepted). Trials
    /// that use torch should divide its threads between them.
    /// </summary>
    public int MaxParallelTrials { get; set; } = 1;

    /// <summary>Whether a larger metric is better (accuracy) or a smaller one (loss, bits).</summary>
    public bool IsMaximizing { get; set; } = true;

    /// <summary>Name of the optimised metric in the leaderboard, plots and JSON.</summary>
    public string MetricName { get; set; } = "metric";

    /// <summary>
    /// JSONL file rewritten atomically after each finished trial; an existing one is resumed: its trials are replayed
    /// to the tuner (and must match what it proposes) instead of being run again.
    /// </summary>
    public string? JournalPath { get; set; }

    /// <summary>Receives one report per finished trial (stage "sweep", metrics: best and latest).</summary>
    public IProgress<ProgressUpdate>? Progress { get; set; }

    internal void Validate()
    {
        if (MaxTrials < 1) throw new ArgumentOutOfRangeException(nameof(MaxTrials), MaxTrials, "MaxTrials must be at least 1.");
        if (MaxParallelTrials < 1) throw new ArgumentOutOfRangeException(nameof(MaxParallelTrials), MaxParallelTrials, "MaxParallelTrials must be at least 1.");
        if (MaxWallTime is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxWallTime), t, "MaxWallTime must be positive.");
        if (string.IsNullOrWhiteSpace(MetricName)) throw new ArgumentException("MetricName must not be empty.", nameof(MetricName));
    }
}
