using LLMML.Rasp.Language;
using LLMML.TracrInjection.Decoding;
using LLMML.TracrInjection.Reporting;
using LLMML.TracrInjection.Teachers;

namespace LLMML.TracrInjection.Tests;

public class PlotTests
{
    [Fact]
    public void Both_figures_are_written_as_png()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"inject-plots-{Guid.NewGuid():N}");
        try
        {
            var program = InjectionProgramCatalog.Count.Build();
            RaspValue[] input = ["x", "y", ":"];
            var variables = RasP(program, input);
            var row = new DecodedRow(["x", "y", " "], input, variables);
            InjectionPlots.DecodedHeatmap(row, program, Path.Combine(dir, "decoded.png"));
            InjectionPlots.CausalityCurve([new(0, 1, 1), new(5, 0.5, 0.9)], Path.Combine(dir, "causality.png"), "t");
            foreach (var f in new[] { "decoded.png", "causality.png" })
                File.ReadAllBytes(Path.Combine(dir, f)).Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, RaspValue[]> RasP(SOp program, RaspValue[] input) =>
        LLMML.Rasp.Evaluation.RaspEvaluator.Trace(program, input, causal: true).ToDictionary(kv => kv.Key.Label, kv => kv.Value);
}
