using System.Text.Json.Nodes;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using Microsoft.Data.Analysis;

namespace LLMML.Sweeps.Experiments;

/// <summary>A finished (or budget-stopped) sweep: its trials in order, the best one, a leaderboard, JSON.</summary>
public sealed class SweepResult
{
    internal SweepResult(IReadOnlyList<TrialResult> trials, SweepOptions options)
    {
        Trials = trials;
        MetricName = options.MetricName;
        IsMaximizing = options.IsMaximizing;
    }

    /// <summary>Every recorded trial, in trial order.</summary>
    public IReadOnlyList<TrialResult> Trials { get; }

    /// <summary>The optimised metric's name.</summary>
    public string MetricName { get; }

    /// <summary>Whether larger is better.</summary>
    public bool IsMaximizing { get; }

    /// <summary>The completed trial with the lowest loss (ties: the earlier trial), or null when none completed.</summary>
    public TrialResult? Best => Trials.Where(t => t.Status == TrialStatus.Completed && !double.IsNaN(t.Loss))
        .OrderBy(t => t.Loss).ThenBy(t => t.TrialSettings.TrialId).FirstOrDefault();

    /// <summary>The best trial, or an error quoting the first failure when no trial completed.</summary>
    public TrialResult BestOrThrow => Best ?? throw new InvalidOperationException(
        $"No trial of the sweep completed ({Trials.Count} recorded){(Trials.FirstOrDefault(t => t.Error is not null) is { } f ? $"; trial {f.TrialSettings.TrialId} failed with {f.Error}" : "")}.");

    /// <summary>The best completed metric after each trial (NaN before the first completion): the curve tuners are compared by.</summary>
    public double[] BestSoFar()
    {
        var curve = new double[Trials.Count];
        double bestLoss = double.PositiveInfinity, bestMetric = double.NaN;
        for (int i = 0; i < Trials.Count; i++)
        {
            var t = Trials[i];
            if (t.Status == TrialStatus.Completed && t.Loss < bestLoss) (bestLoss, bestMetric) = (t.Loss, t.Metric);
            curve[i] = bestMetric;
        }
        return curve;
    }

    /// <summary>
    /// The leaderboard, best first (completed, then stopped early, then failed): trial, one column per parameter (dotted
    /// names for nested spaces; numbers as doubles, other values as text, empty when inactive), the metric, the other
    /// metrics, seconds and status.
    /// </summary>
    public DataFrame ToDataFrame()
    {
        var rows = Trials.OrderBy(t => t.Status).ThenBy(t => t.Loss).ThenBy(t => t.TrialSettings.TrialId).ToArray();
        var values = rows.Select(r => r.TrialSettings.Parameter.Flatten().ToDictionary(kv => kv.Key, kv => kv.Value)).ToArray();
        var names = values.SelectMany(v => v.Keys).Distinct().ToArray();
        var columns = new List<DataFrameColumn> { new Int32DataFrameColumn("trial", rows.Select(r => r.TrialSettings.TrialId)) };
        foreach (var name in names)
        {
            var cells = values.Select(v => v.GetValueOrDefault(name)).ToArray();
            columns.Add(cells.All(c => c is null || OptionBase.Number(c) is not null)
                ? new DoubleDataFrameColumn(name, cells.Select(OptionBase.Number))
                : new StringDataFrameColumn(name, cells.Select(Text)));
        }
        columns.Add(new DoubleDataFrameColumn(MetricName, rows.Select(r => r.Metric)));
        foreach (var metric in rows.SelectMany(r => r.Metrics.Keys).Distinct().Where(m => m != MetricName))
            columns.Add(new DoubleDataFrameColumn(metric, rows.Select(r => r.Metrics.TryGetValue(metric, out var v) ? v : (double?)null)));
        columns.Add(new DoubleDataFrameColumn("seconds", rows.Select(r => r.DurationInMilliseconds / 1000)));
        columns.Add(new StringDataFrameColumn("status", rows.Select(r => r.Status.ToString())));
        return new DataFrame(columns);
    }

    /// <summary>The sweep as JSON: metric, direction, best trial and every trial (the journal's record format).</summary>
    public JsonObject ToJson()
    {
        var best = Best;
        return new JsonObject
        {
            ["metric"] = MetricName,
            ["maximizing"] = IsMaximizing,
            ["trials"] = Trials.Count,
            ["completed"] = Trials.Count(t => t.Status == TrialStatus.Completed),
            ["stopped"] = Trials.Count(t => t.Status == TrialStatus.Stopped),
            ["failed"] = Trials.Count(t => t.Status == TrialStatus.Failed),
            ["best"] = best is null ? null : SweepJournal.Write(best),
            ["results"] = new JsonArray(Trials.Select(t => (JsonNode)SweepJournal.Write(t)).ToArray()),
        };
    }

    /// <summary>A parameter value as display text: strings bare, anything else as JSON.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
