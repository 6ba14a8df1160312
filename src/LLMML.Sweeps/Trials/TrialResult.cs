namespace LLMML.Sweeps.Trials;

/// <summary>A finished trial (AutoML's TrialResult): the metric, the loss tuners minimise, other metrics, time and status.</summary>
public sealed class TrialResult
{
    /// <summary>The trial.</summary>
    public required TrialSettings TrialSettings { get; init; }

    /// <summary>How it ended.</summary>
    public required TrialStatus Status { get; init; }

    /// <summary>The metric optimised (NaN when the trial failed before any report).</summary>
    public required double Metric { get; init; }

    /// <summary>What tuners minimise: −metric when maximising, metric otherwise, +∞ for a failed trial.</summary>
    public required double Loss { get; init; }

    /// <summary>Other named metrics the trial reported.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Wall time of the trial.</summary>
    public required double DurationInMilliseconds { get; init; }

    /// <summary>Intermediate (resource, metric) reports, in order.</summary>
    public IReadOnlyList<(double Resource, double Metric)> Intermediate { get; init; } = [];

    /// <summary>The exception message of a failed trial.</summary>
    public string? Error { get; init; }
}
