using LLMML.Foundation.Persistence;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Language;
using LLMML.TracrInjection.Decoding;
using ScottPlot;

namespace LLMML.TracrInjection.Reporting;

/// <summary>The injection report's figures (ScottPlot 5), each written through the one atomic writer.</summary>
public static class InjectionPlots
{
    /// <summary>
    /// One row's decoded variables as a grid: a row per variable, a column per position (the last <paramref name="positions"/>),
    /// each cell labelled with the value decoded from A(h_L), green where it equals the interpreter's trace, red where not.
    /// </summary>
    public static void DecodedHeatmap(DecodedRow row, SOp program, string path, int positions = 24, string title = "")
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(program);
        var trace = RaspEvaluator.Trace(program, row.CompiledInput, causal: true).ToDictionary(kv => kv.Key.Label, kv => kv.Value);
        var variables = row.Variables.Keys.Where(trace.ContainsKey).ToArray();
        var first = Math.Max(0, row.Tokens.Count - positions);
        var columns = row.Tokens.Count - first;
        var plot = new Plot();
        for (var i = 0; i < variables.Length; i++)
        {
            var y = variables.Length - 1 - i;
            for (var c = 0; c < columns; c++)
            {
                var p = first + c;
                var got = row.Variables[variables[i]][p];
                var expected = trace[variables[i]][p];
                var rect = plot.Add.Rectangle(c, c + 1, y, y + 1);
                rect.FillColor = expected.IsNone ? Colors.LightGray : got == expected ? Colors.MediumSeaGreen.WithAlpha(0.7) : Colors.IndianRed.WithAlpha(0.8);
                rect.LineColor = Colors.White;
                var label = plot.Add.Text(got.ToString(), c + 0.5, y + 0.5);
                label.LabelFontSize = 10;
                label.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
            }
        }
        var xTicks = new ScottPlot.TickGenerators.NumericManual();
        for (var c = 0; c < columns; c++)
        {
            var token = row.Tokens[first + c].Replace("\n", "\\n", StringComparison.Ordinal);
            xTicks.AddMajor(c + 0.5, $"{token} ({row.CompiledInput[first + c]})");
        }
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < variables.Length; i++) yTicks.AddMajor(variables.Length - 0.5 - i, variables[i]);
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 60;
        plot.Axes.Bottom.Label.Text = "LM token (aligned compiled token)";
        plot.Title(string.IsNullOrEmpty(title) ? "Variables decoded from A(h_L) (green = interpreter's value, red = not)" : title);
        plot.Axes.SetLimits(0, columns, 0, variables.Length);
        plot.Grid.IsVisible = false;
        Write(plot, path, 160 + 44 * columns, 200 + 34 * variables.Length);
    }

    /// <summary>The causality curve: accuracy against the noise norm, inside the output variable's span and inside a random span of equal rank.</summary>
    public static void CausalityCurve(IReadOnlyList<CausalityPoint> points, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(points);
        var plot = new Plot();
        var xs = points.Select(p => p.Norm).ToArray();
        var own = plot.Add.Scatter(xs, points.Select(p => p.VariableSpanAccuracy).ToArray());
        own.LegendText = "noise in final_result's span";
        var control = plot.Add.Scatter(xs, points.Select(p => p.RandomSpanAccuracy).ToArray());
        control.LegendText = "noise in a random span of equal rank";
        control.LinePattern = LinePattern.Dashed;
        plot.XLabel("noise norm");
        plot.YLabel("exact match");
        plot.Axes.SetLimitsY(-0.02, 1.02);
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        Write(plot, path, 640, 420);
    }

    private static void Write(Plot plot, string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }
}
