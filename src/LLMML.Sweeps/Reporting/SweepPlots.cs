using LLMML.Foundation.Persistence;
using LLMML.Sweeps.Experiments;
using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using ScottPlot;

namespace LLMML.Sweeps.Reporting;

/// <summary>A sweep's figures as PNG files (ScottPlot 5): the metric against trial, and each parameter's effect on it.</summary>
public static class SweepPlots
{
    /// <summary>
    /// Writes <c>metric-by-trial.png</c> and one <c>parameter-NAME.png</c> per parameter into <paramref name="directory"/>;
    /// returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> SaveAll(SweepResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var paths = new List<string> { Path.Combine(directory, "metric-by-trial.png") };
        MetricByTrial(result, paths[0]);
        foreach (var name in result.Trials.SelectMany(t => t.TrialSettings.Parameter.Flatten().Select(kv => kv.Key)).Distinct())
        {
            var path = Path.Combine(directory, $"parameter-{string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '_'))}.png");
            ParameterEffect(result, name, path);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Each completed trial's metric (points), stopped trials' last metric (crosses) and the best so far (line).</summary>
    public static void MetricByTrial(SweepResult result, string path, int width = 900, int height = 500)
    {
        var plot = new Plot();
        foreach (var (status, shape, color) in new[] { (TrialStatus.Completed, MarkerShape.FilledCircle, Colors.SteelBlue), (TrialStatus.Stopped, MarkerShape.Cross, Colors.Gray) })
        {
            var trials = result.Trials.Where(t => t.Status == status && double.IsFinite(t.Metric)).ToArray();
            if (trials.Length == 0) continue;
            var markers = plot.Add.Markers(trials.Select(t => (double)t.TrialSettings.TrialId).ToArray(), trials.Select(t => t.Metric).ToArray(), shape, 7, color.WithAlpha(0.7));
            markers.LegendText = status == TrialStatus.Completed ? "trial" : "stopped early (last report)";
        }
        var best = result.BestSoFar();
        var xs = Enumerable.Range(0, best.Length).Where(i => !double.IsNaN(best[i])).ToArray();
        if (xs.Length > 0)
        {
            var line = plot.Add.Scatter(xs.Select(i => (double)i).ToArray(), xs.Select(i => best[i]).ToArray(), Colors.OrangeRed);
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = "best so far";
        }
        plot.Axes.Bottom.Label.Text = "trial";
        plot.Axes.Left.Label.Text = result.MetricName;
        plot.Title($"{result.MetricName} by trial ({(result.IsMaximizing ? "higher" : "lower")} is better)");
        plot.ShowLegend(Alignment.LowerRight);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    /// <summary>The metric of every completed trial against parameter <paramref name="name"/> (numbers on the x axis, other values as categories).</summary>
    public static void ParameterEffect(SweepResult result, string name, string path, int width = 700, int height = 500)
    {
        var points = result.Trials
            .Where(t => t.Status == TrialStatus.Completed && double.IsFinite(t.Metric))
            .Select(t => (Value: t.TrialSettings.Parameter.Flatten().FirstOrDefault(kv => kv.Key == name).Value, t.Metric))
            .Where(p => p.Value is not null).ToArray();
        var plot = new Plot();
        if (points.All(p => OptionBase.Number(p.Value) is not null))
        {
            plot.Add.Markers(points.Select(p => OptionBase.Number(p.Value)!.Value).ToArray(), points.Select(p => p.Metric).ToArray(), MarkerShape.FilledCircle, 7, Colors.SteelBlue.WithAlpha(0.7));
        }
        else
        {
            var categories = points.Select(p => SweepResult.Text(p.Value)!).Distinct().Order(StringComparer.Ordinal).ToArray();
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            // Long values (feature-group lists) are cut so the rotated labels fit beside the plot.
            for (int i = 0; i < categories.Length; i++) ticks.AddMajor(i, categories[i].Length > 32 ? categories[i][..31] + "…" : categories[i]);
            plot.Add.Markers(points.Select(p => (double)Array.IndexOf(categories, SweepResult.Text(p.Value))).ToArray(), points.Select(p => p.Metric).ToArray(),
                MarkerShape.FilledCircle, 7, Colors.SteelBlue.WithAlpha(0.7));
            plot.Axes.Bottom.TickGenerator = ticks;
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 30 + 4f * Math.Min(32, categories.DefaultIfEmpty("").Max(c => c.Length));
            plot.Axes.Left.MinimumSize = 30 + 5f * Math.Min(32, categories.DefaultIfEmpty("").Max(c => c.Length));
            plot.Axes.SetLimitsX(-0.5, Math.Max(0.5, categories.Length - 0.5));
        }
        plot.Axes.Bottom.Label.Text = name;
        plot.Axes.Left.Label.Text = result.MetricName;
        plot.Title($"{result.MetricName} against {name}");
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }
}
