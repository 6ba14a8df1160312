using MathNet.Numerics.Statistics;
using LLMML.Foundation.Persistence;
using System.Globalization;
using LLMML.Citations.Analysis;
using Microsoft.Data.Analysis;
using ScottPlot;

namespace LLMML.Citations.Plots;

/// <summary>The analysis figures as PNG files (ScottPlot 5).</summary>
public static class CitationPlots
{
    /// <summary>
    /// Box plots of a centrality per field on a log₁₀ axis (box = quartiles, line = median, whiskers = 5th–95th
    /// percentile). Zeros cannot sit on a log axis, so each field's label says how many of its papers are 0.
    /// </summary>
    public static void CentralityByField(IReadOnlyDictionary<string, double[]> valuesByField, string path,
        string measure = "betweenness", int width = 0, int height = 800)
    {
        var fields = valuesByField.OrderBy(kv => Median(kv.Value)).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        if (fields.Length == 0) throw new ArgumentException("No field has values to plot.", nameof(valuesByField));
        var plot = new Plot();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < fields.Length; i++)
        {
            var (name, all) = (fields[i].Key, fields[i].Value);
            var positive = all.Where(v => v > 0).Select(Math.Log10).Order().ToArray();
            double zeroShare = all.Length == 0 ? 0 : 1 - (double)positive.Length / all.Length;
            ticks.AddMajor(i, $"{name} (n={all.Length}, {zeroShare:P0} zero)");
            if (positive.Length == 0) continue;
            var boxPlot = plot.Add.Box(new Box
            {
                Position = i,
                BoxMin = SortedArrayStatistics.QuantileCustom(positive, 0.25, QuantileDefinition.R7),
                BoxMax = SortedArrayStatistics.QuantileCustom(positive, 0.75, QuantileDefinition.R7),
                BoxMiddle = SortedArrayStatistics.QuantileCustom(positive, 0.5, QuantileDefinition.R7),
                WhiskerMin = SortedArrayStatistics.QuantileCustom(positive, 0.05, QuantileDefinition.R7),
                WhiskerMax = SortedArrayStatistics.QuantileCustom(positive, 0.95, QuantileDefinition.R7),
                Width = 0.6,
            });
            boxPlot.FillColor = Colors.SteelBlue.WithAlpha(0.5);
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        // Rotated field names need room the automatic layout does not reserve.
        plot.Axes.Bottom.MinimumSize = 30 + 4.8f * fields.Max(f => f.Key.Length + 20);
        plot.Axes.Left.MinimumSize = Math.Max(80, 4.8f * (fields[0].Key.Length + 20));
        var logTicks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = v => "1e" + v.ToString("0", CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.TickGenerator = logTicks;
        plot.Axes.Left.Label.Text = $"{measure} (log scale, non-zero papers)";
        plot.Title($"{measure} per field");
        plot.Axes.SetLimitsX(-0.7, fields.Length - 0.3);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width > 0 ? width : 200 + 45 * fields.Length, height, ImageFormat.Png));
    }

    /// <summary>
    /// A heatmap of CSI(row field, column field) for one year from <see cref="CitationAnalysis.CitationSuccessIndexTable"/>;
    /// each cell is labelled with its value (0.5 = as cited as each other).
    /// </summary>
    public static void CsiHeatmap(DataFrame csiTable, int year, string path, int size = 0)
    {
        var rows = new List<(string A, string B, double Csi)>();
        var yearCol = (Int32DataFrameColumn)csiTable["year"];
        for (long r = 0; r < csiTable.Rows.Count; r++)
            if (yearCol[r] == year)
                rows.Add(((string)csiTable["field_a"][r], (string)csiTable["field_b"][r], (double)csiTable["csi"][r]));
        if (rows.Count == 0) throw new ArgumentException($"The CSI table has no rows for year {year}.", nameof(year));
        var fields = rows.Select(r => r.A).Concat(rows.Select(r => r.B)).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = fields.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i);
        int n = fields.Length;
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Viridis();
        var cells = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) cells[i, j] = i == j ? 0.5 : double.NaN;
        foreach (var (a, b, csi) in rows) cells[index[a], index[b]] = csi;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double v = cells[i, j];
                // Row i is drawn at y = n-1-i so the first field is on top, as in a table.
                var rect = plot.Add.Rectangle(j, j + 1, n - 1 - i, n - i);
                rect.FillColor = double.IsNaN(v) ? Colors.LightGray : colormap.GetColor(v);
                rect.LineColor = Colors.White;
                if (n <= 30 && !double.IsNaN(v))
                {
                    var label = plot.Add.Text(v.ToString("0.00", CultureInfo.InvariantCulture), j + 0.5, n - 0.5 - i);
                    label.LabelFontSize = n > 15 ? 9 : 12;
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontColor = v > 0.6 ? Colors.Black : Colors.White;
                }
            }
        var xTicks = new ScottPlot.TickGenerators.NumericManual();
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < n; i++)
        {
            xTicks.AddMajor(i + 0.5, fields[i]);
            yTicks.AddMajor(n - 0.5 - i, fields[i]);
        }
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.Label.Text = "field B";
        plot.Axes.Bottom.MinimumSize = 40 + 4.8f * fields.Max(f => f.Length);
        plot.Axes.Left.Label.Text = "field A";
        plot.Title($"Citation Success Index CSI(A, B), {year} = P(A paper out-cites B paper), 0.5 = even");
        plot.Axes.SetLimits(0, n, 0, n);
        plot.Grid.IsVisible = false;
        int px = size > 0 ? size : Math.Max(600, 260 + 48 * n);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(px, px, ImageFormat.Png));
    }

    private static double Median(double[] v) => SortedArrayStatistics.QuantileCustom(v.Order().ToArray(), 0.5, QuantileDefinition.R7);
}
