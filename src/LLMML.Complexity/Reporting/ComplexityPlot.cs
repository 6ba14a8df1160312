using System.Globalization;
using LLMML.Foundation.Persistence;
using ScottPlot;

namespace LLMML.Complexity.Reporting;

/// <summary>The report's figure (ScottPlot 5): score against log₂ bits, a step line per model's frontier.</summary>
internal static class ComplexityPlot
{
    public static void Save(ComplexityReport report, string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (report.Runs.Count == 0) throw new InvalidOperationException("The report has no runs to plot.");
        var plot = new Plot();
        var right = report.Runs.Max(r => r.Log2Bits) + 1;
        for (var i = 0; i < report.Models.Count; i++)
        {
            var model = report.Models[i];
            var color = plot.Add.Palette.GetColor(i);
            var runs = report.Runs.Where(r => r.Model == model).ToArray();
            if (runs.Length == 0) continue;
            var points = plot.Add.Markers(runs.Select(r => r.Log2Bits).ToArray(), runs.Select(r => r.Score).ToArray(), MarkerShape.OpenCircle, 6, color.WithAlpha(0.6));
            points.LegendText = "";
            var frontier = report.Frontier(model);
            // The step holds the best score reached so far until the right edge.
            var xs = frontier.Select(r => r.Log2Bits).Append(right).ToArray();
            var ys = frontier.Select(r => r.Score).Append(frontier[^1].Score).ToArray();
            var line = plot.Add.Scatter(xs, ys, color);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = model;
        }
        foreach (var target in report.Targets)
            plot.Add.HorizontalLine(target, 1, Colors.Gray, LinePattern.Dashed);
        var targets = string.Join(", ", report.Targets.Select(t => t.ToString("0.##", CultureInfo.InvariantCulture)));
        plot.Title(report.Targets.Count == 0 ? $"{report.Task}: {report.Metric} against program length"
            : $"{report.Task}: {report.Metric} against program length (dashed: δ = {targets})");
        plot.XLabel("log₂ bits (fixed inference code + payload)");
        plot.YLabel(report.Metric);
        plot.ShowLegend(Alignment.UpperLeft);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        // Through the one atomic writer: an interrupted save never leaves half a PNG where the last plot was.
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }
}
